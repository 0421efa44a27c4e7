//! A check of an `.xls` file's container (the OLE compound file) before calamine reads it:
//! every sector its allocation tables, directory and streams point at must lie inside the file.
//! calamine 0.38 panics (a slice past the end) on a file cut short — the usual damage of a file
//! half downloaded or half copied — and a panic in wasm ends the call with no message, so a cut
//! file is told here, with what to do.

use super::XlsxError;

/// Sector numbers from this one up are markers (free, end of chain, FAT, DIFAT), not places.
const MARKERS: u32 = 0xFFFF_FFFA;
/// Stream size below which a stream lives in the mini stream (64-byte mini sectors).
const MINI_CUTOFF: u64 = 4096;

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    b.get(at..at + 4).map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

fn cut_short() -> XlsxError {
    XlsxError::Legacy {
        format: "XLS", detail: "文件不完整，可能没有下载或复制完（the file is cut short）".into()
    }
}

/// Errors when the compound file in `b` points outside itself.
pub fn check(b: &[u8]) -> Result<(), XlsxError> {
    let shift = b.get(0x1E..0x20).map(|s| u16::from_le_bytes([s[0], s[1]])).ok_or_else(cut_short)?;
    if shift != 9 && shift != 12 {
        return Err(XlsxError::Legacy { format: "XLS", detail: format!("sector shift {shift}") });
    }
    let size = 1usize << shift;
    // The header takes the first sector's room; sector k starts at (k + 1) × size.
    let sectors = (b.len() / size).saturating_sub(1);
    let sector = |id: u32| -> Result<&[u8], XlsxError> {
        let id = id as usize;
        if id >= sectors {
            return Err(cut_short());
        }
        Ok(&b[(id + 1) * size..(id + 2) * size])
    };
    let place = |id: u32| if id < MARKERS && id as usize >= sectors { Err(cut_short()) } else { Ok(()) };
    // The FAT's own sectors: 109 in the header, the rest on the DIFAT chain.
    let mut fat_sectors: Vec<u32> =
        (0..109).filter_map(|i| u32_at(b, 0x4C + 4 * i)).filter(|id| *id < MARKERS).collect();
    let mut difat = u32_at(b, 0x44).ok_or_else(cut_short)?;
    let mut hops = 0;
    while difat < MARKERS {
        let s = sector(difat)?;
        let per = size / 4 - 1;
        fat_sectors.extend((0..per).filter_map(|i| u32_at(s, 4 * i)).filter(|id| *id < MARKERS));
        difat = u32_at(s, 4 * per).ok_or_else(cut_short)?;
        hops += 1;
        if hops > sectors {
            return Err(cut_short());
        }
    }
    let mut fat = Vec::with_capacity(fat_sectors.len() * size / 4);
    for id in fat_sectors {
        let s = sector(id)?;
        fat.extend((0..size / 4).filter_map(|i| u32_at(s, 4 * i)));
    }
    for id in &fat {
        place(*id)?;
    }
    for at in [0x30, 0x3C] {
        place(u32_at(b, at).ok_or_else(cut_short)?)?;
    }
    // Directory entries (128 bytes each): big streams start at a sector; the root entry holds
    // the mini stream, whose size bounds every small stream's start.
    let mut dir = u32_at(b, 0x30).ok_or_else(cut_short)?;
    let mut entries: Vec<(u8, u32, u64)> = Vec::new();
    let mut hops = 0;
    while dir < MARKERS {
        let s = sector(dir)?;
        for e in s.chunks_exact(128) {
            let size = u64::from(u32_at(e, 0x78).unwrap_or(0));
            entries.push((e[0x42], u32_at(e, 0x74).unwrap_or(MARKERS), size));
        }
        dir = *fat.get(dir as usize).ok_or_else(cut_short)?;
        hops += 1;
        if hops > sectors {
            return Err(cut_short());
        }
    }
    let mini_sectors = entries.first().map_or(0, |(_, _, size)| size / 64);
    for (kind, start, size) in entries {
        match kind {
            // Root: its start is a sector; streams: by size.
            5 => place(start)?,
            2 if size >= MINI_CUTOFF => place(start)?,
            2 if start < MARKERS && u64::from(start) >= mini_sectors => return Err(cut_short()),
            _ => {}
        }
    }
    Ok(())
}
