//! The rows of cells a reader hands to column finding ([`super::columns`]): a list of
//! [`RawRow`]s (workbooks, pasted text), or a CSV's cells kept end to end in one text
//! ([`CellText`]), so a 10,000-row file costs a few buffers instead of a string per cell.

use super::RawRow;

/// Rows of cells, as [`super::columns::extract_table`] reads them.
pub trait Table {
    /// How many rows.
    fn rows(&self) -> usize;
    /// The 1-based source row of row `i`.
    fn row_number(&self, i: usize) -> usize;
    /// How many cells row `i` has.
    fn width(&self, i: usize) -> usize;
    /// Cell `c` of row `i`, when the row has one.
    fn cell(&self, i: usize, c: usize) -> Option<&str>;
    /// Cell `c` of row `i`, trimmed and owned (empty when the row has none); each cell is taken
    /// at most once, so a table that owns its cells' strings may move them out.
    fn take(&mut self, i: usize, c: usize) -> String;
}

impl Table for Vec<RawRow> {
    fn rows(&self) -> usize {
        self.len()
    }
    fn row_number(&self, i: usize) -> usize {
        self[i].row
    }
    fn width(&self, i: usize) -> usize {
        self[i].cells.len()
    }
    fn cell(&self, i: usize, c: usize) -> Option<&str> {
        self[i].cells.get(c).map(String::as_str)
    }
    fn take(&mut self, i: usize, c: usize) -> String {
        self[i]
            .cells
            .get_mut(c)
            .map(|s| match s.trim() {
                same if same.len() == s.len() => std::mem::take(s),
                trimmed => trimmed.to_string(),
            })
            .unwrap_or_default()
    }
}

/// Trimmed cells end to end in one text, with where each cell and row ends.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CellText {
    text: String,
    /// End of each cell in `text`.
    ends: Vec<usize>,
    /// Per row: its 1-based source row and the index of its first cell; a row's cells run to
    /// the next row's first.
    starts: Vec<(usize, usize)>,
}

impl CellText {
    /// Starts a row (1-based source row `row`).
    pub fn start_row(&mut self, row: usize) {
        self.starts.push((row, self.ends.len()));
    }
    /// Adds a cell (trimmed here) to the row started last.
    pub fn push_cell(&mut self, cell: &str) {
        self.text.push_str(cell.trim());
        self.ends.push(self.text.len());
    }
    /// Drops the row started last when none of its cells holds text.
    pub fn drop_blank_row(&mut self) {
        let Some(&(_, first)) = self.starts.last() else { return };
        let from = if first == 0 { 0 } else { self.ends[first - 1] };
        if self.text.len() == from {
            self.starts.pop();
            self.ends.truncate(first);
        }
    }
    fn span(&self, i: usize) -> (usize, usize) {
        let first = self.starts[i].1;
        let end = self.starts.get(i + 1).map_or(self.ends.len(), |s| s.1);
        (first, end)
    }
    /// The rows as [`RawRow`]s.
    pub fn into_rows(self) -> Vec<RawRow> {
        (0..self.rows())
            .map(|i| RawRow {
                row: self.row_number(i),
                cells: (0..self.width(i)).filter_map(|c| self.cell(i, c)).map(str::to_string).collect(),
            })
            .collect()
    }
}

impl Table for CellText {
    fn rows(&self) -> usize {
        self.starts.len()
    }
    fn row_number(&self, i: usize) -> usize {
        self.starts[i].0
    }
    fn width(&self, i: usize) -> usize {
        let (first, end) = self.span(i);
        end - first
    }
    fn cell(&self, i: usize, c: usize) -> Option<&str> {
        let (first, end) = self.span(i);
        let at = first + c;
        if at >= end {
            return None;
        }
        let from = if at == 0 { 0 } else { self.ends[at - 1] };
        self.text.get(from..self.ends[at])
    }
    fn take(&mut self, i: usize, c: usize) -> String {
        self.cell(i, c).map(str::to_string).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ship::columns::{extract, extract_table};
    use crate::ship::couriers::default_couriers;
    use crate::ship::csv_source::{parse_cells, parse_text};

    #[test]
    fn cells_end_to_end_read_as_the_rows_they_were() {
        let mut t = CellText::default();
        t.start_row(1);
        for c in [" 订单号 ", "", "运单号"] {
            t.push_cell(c);
        }
        t.start_row(2);
        t.push_cell(" ");
        t.push_cell("");
        t.drop_blank_row();
        t.start_row(3);
        t.push_cell("P123456789012345");
        assert_eq!((t.rows(), t.row_number(1), t.width(0), t.width(1)), (2, 3, 3, 1));
        assert_eq!((t.cell(0, 0), t.cell(0, 1), t.cell(0, 3), t.cell(1, 1)), (Some("订单号"), Some(""), None, None));
        assert_eq!(t.take(1, 0), "P123456789012345");
        assert_eq!(
            t.into_rows(),
            vec![
                RawRow { row: 1, cells: vec!["订单号".into(), "".into(), "运单号".into()] },
                RawRow { row: 3, cells: vec!["P123456789012345".into()] },
            ]
        );
    }

    #[test]
    fn a_csv_reads_the_same_from_cells_as_from_rows() {
        let text = "发货表\n , ,,\n订单号,快递公司,运单号,备注\nP123456789012345, 中通 ,7730 1234 5678,\n\
                    P123456789012345,,,\n,,,合计\n\"P123456789012346\",韵达,\"4312345678901\",\"a,b\"\n";
        let p = default_couriers();
        let from_rows = extract(parse_text(text).unwrap(), &p).unwrap();
        let from_cells = extract_table(&mut parse_cells(text).unwrap(), &p).unwrap();
        assert_eq!(from_rows, from_cells);
        assert_eq!(from_cells.1.header_row, Some(3));
        assert_eq!(from_cells.0.len(), 2);
    }
}
