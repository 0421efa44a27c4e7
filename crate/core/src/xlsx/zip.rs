//! The ZIP container of a workbook: reading entries through the central directory (so data
//! descriptors and zip64 sizes are handled), inflating them with `miniz_oxide` under a size
//! budget (zip bombs), and writing a new archive with CRC-32s.

use super::XlsxError;
use miniz_oxide::inflate::core::{
    decompress, inflate_flags::TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF, DecompressorOxide,
};
use miniz_oxide::inflate::TINFLStatus;

/// At most this many bytes are inflated from one archive (all entries together).
pub const MAX_TOTAL: usize = 256 << 20;
/// Above this size an entry may not have inflated more than [`MAX_RATIO`] times its stored size.
const RATIO_FLOOR: usize = 16 << 20;
/// Highest accepted inflate ratio for a large entry (real sheets stay far below it).
const MAX_RATIO: usize = 400;
/// Entries in one archive (a workbook has a dozen; thousands is a malformed or hostile file).
const MAX_ENTRIES: usize = 65_535;

/// One entry of the central directory.
#[derive(Debug, Clone)]
struct Entry {
    name: String,
    method: u16,
    crc: u32,
    compressed: usize,
    size: usize,
    offset: usize,
}

/// An archive opened over borrowed bytes.
#[derive(Debug)]
pub struct Archive<'a> {
    bytes: &'a [u8],
    entries: Vec<Entry>,
    inflated: usize,
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    let s = b.get(at..at.checked_add(2)?)?;
    Some(u16::from_le_bytes([s[0], s[1]]))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

fn u64_at(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from(u32_at(b, at)?) | (u64::from(u32_at(b, at.checked_add(4)?)?) << 32))
}

fn corrupt(what: &str) -> XlsxError {
    XlsxError::Corrupt(what.to_string())
}

fn usize_of(v: u64) -> Result<usize, XlsxError> {
    usize::try_from(v).map_err(|_| corrupt("压缩包记录的大小超出范围"))
}

/// Part names compare as OPC says: case-insensitive, `/` separated, no leading slash.
pub fn normalize(name: &str) -> String {
    name.trim_start_matches(['/', '\\']).replace('\\', "/").to_ascii_lowercase()
}

impl<'a> Archive<'a> {
    /// Reads the central directory. Errors if `bytes` is not a ZIP archive.
    pub fn open(bytes: &'a [u8]) -> Result<Self, XlsxError> {
        if !bytes.starts_with(b"PK") {
            return Err(XlsxError::NotZip);
        }
        // The end-of-central-directory record is in the last 65,557 bytes (a comment may follow).
        let from = bytes.len().saturating_sub(22 + 0xFFFF);
        let eocd = (from..bytes.len().saturating_sub(21))
            .rev()
            .find(|&i| u32_at(bytes, i) == Some(0x0605_4b50))
            .ok_or_else(|| corrupt("找不到压缩包目录（文件可能不完整）"))?;
        let mut count = u64::from(u16_at(bytes, eocd + 10).unwrap_or(0));
        let mut cd_offset = u64::from(u32_at(bytes, eocd + 16).unwrap_or(0));
        if count == 0xFFFF || cd_offset == 0xFFFF_FFFF {
            // zip64: the locator sits just before the classic record.
            let loc = eocd.checked_sub(20).filter(|&l| u32_at(bytes, l) == Some(0x0706_4b50));
            if let Some(l) = loc {
                let rec = usize_of(u64_at(bytes, l + 8).ok_or_else(|| corrupt("zip64 目录损坏"))?)?;
                if u32_at(bytes, rec) != Some(0x0606_4b50) {
                    return Err(corrupt("zip64 目录损坏"));
                }
                count = u64_at(bytes, rec.saturating_add(32)).ok_or_else(|| corrupt("zip64 目录损坏"))?;
                cd_offset = u64_at(bytes, rec.saturating_add(48)).ok_or_else(|| corrupt("zip64 目录损坏"))?;
            }
        }
        let count = usize_of(count)?;
        if count > MAX_ENTRIES {
            return Err(corrupt("压缩包里的文件太多"));
        }
        let mut at = usize_of(cd_offset)?;
        let mut entries = Vec::with_capacity(count);
        for _ in 0..count {
            entries.push(read_entry(bytes, &mut at)?);
        }
        Ok(Archive { bytes, entries, inflated: 0 })
    }

    /// Whether an entry of that name exists.
    pub fn has(&self, name: &str) -> bool {
        let want = normalize(name);
        self.entries.iter().any(|e| normalize(&e.name) == want)
    }

    /// The inflated contents of the named entry, or `None` if there is no such entry.
    pub fn read(&mut self, name: &str) -> Result<Option<Vec<u8>>, XlsxError> {
        let want = normalize(name);
        let Some(e) = self.entries.iter().find(|e| normalize(&e.name) == want).cloned() else {
            return Ok(None);
        };
        let b = self.bytes;
        if u32_at(b, e.offset) != Some(0x0403_4b50) {
            return Err(corrupt(&format!("{} 的本地文件头损坏", e.name)));
        }
        let name_len = usize::from(u16_at(b, e.offset + 26).unwrap_or(0));
        let extra_len = usize::from(u16_at(b, e.offset + 28).unwrap_or(0));
        let data = (e.offset.checked_add(30 + name_len + extra_len))
            .and_then(|start| Some((start, start.checked_add(e.compressed)?)))
            .and_then(|(start, end)| b.get(start..end))
            .ok_or_else(|| corrupt(&format!("{} 的数据不完整", e.name)))?;
        let budget = MAX_TOTAL - self.inflated;
        let out = match e.method {
            0 => {
                if data.len() > budget {
                    return Err(XlsxError::TooLarge);
                }
                data.to_vec()
            }
            8 => {
                // Inflated in one pass into a buffer of the declared size: more output than
                // declared is a damaged entry, a declared size over the caps is refused.
                let limit = budget.min(RATIO_FLOOR.max(e.compressed.saturating_mul(MAX_RATIO)));
                if e.size > limit {
                    return Err(XlsxError::TooLarge);
                }
                let mut out = vec![0u8; e.size];
                let mut d = Box::<DecompressorOxide>::default();
                let (status, _, len) = decompress(&mut d, data, &mut out, 0, TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF);
                if status != TINFLStatus::Done {
                    return Err(corrupt(&format!("{} 解压失败（{status:?}）", e.name)));
                }
                out.truncate(len);
                out
            }
            m => return Err(corrupt(&format!("{} 使用了不支持的压缩方式 {m}", e.name))),
        };
        if crc32(&out) != e.crc || (e.size != out.len() && e.size != 0xFFFF_FFFF) {
            return Err(corrupt(&format!("{} 的校验和不符（文件已损坏）", e.name)));
        }
        self.inflated += out.len();
        Ok(Some(out))
    }
}

/// Reads one central-directory record at `*at` and moves past it.
fn read_entry(b: &[u8], at: &mut usize) -> Result<Entry, XlsxError> {
    let p = *at;
    if u32_at(b, p) != Some(0x0201_4b50) {
        return Err(corrupt("压缩包目录损坏"));
    }
    let bad = || corrupt("压缩包目录损坏");
    let method = u16_at(b, p + 10).ok_or_else(bad)?;
    let crc = u32_at(b, p + 16).ok_or_else(bad)?;
    let mut compressed = u64::from(u32_at(b, p + 20).ok_or_else(bad)?);
    let mut size = u64::from(u32_at(b, p + 24).ok_or_else(bad)?);
    let name_len = usize::from(u16_at(b, p + 28).ok_or_else(bad)?);
    let extra_len = usize::from(u16_at(b, p + 30).ok_or_else(bad)?);
    let comment_len = usize::from(u16_at(b, p + 32).ok_or_else(bad)?);
    let mut offset = u64::from(u32_at(b, p + 42).ok_or_else(bad)?);
    let name_at = p + 46;
    let name = b.get(name_at..name_at + name_len).ok_or_else(bad)?;
    let extra = b.get(name_at + name_len..name_at + name_len + extra_len).ok_or_else(bad)?;
    // zip64 extended information: the 0xFFFFFFFF fields, in order, as 8-byte values.
    let mut i = 0;
    while i + 4 <= extra.len() {
        let id = u16_at(extra, i).unwrap_or(0);
        let len = usize::from(u16_at(extra, i + 2).unwrap_or(0));
        if id == 1 {
            let mut f = i + 4;
            for v in [&mut size, &mut compressed, &mut offset] {
                if *v == 0xFFFF_FFFF {
                    if let Some(x) = u64_at(extra, f).filter(|_| f + 8 <= i + 4 + len) {
                        *v = x;
                        f += 8;
                    }
                }
            }
        }
        i += 4 + len;
    }
    *at = name_at + name_len + extra_len + comment_len;
    Ok(Entry {
        name: String::from_utf8_lossy(name).into_owned(),
        method,
        crc,
        compressed: usize_of(compressed)?,
        // Clamped before converting, so the cap is the same on 32- and 64-bit targets.
        size: usize_of(size.min(0xFFFF_FFFF)).unwrap_or(usize::MAX),
        offset: usize_of(offset)?,
    })
}

/// CRC-32 tables for slicing by four (`[0]` is the classic byte table), built on first use
/// rather than stored: 4 KB less in the module.
fn crc_tables() -> &'static [[u32; 256]; 4] {
    static TABLES: std::sync::OnceLock<[[u32; 256]; 4]> = std::sync::OnceLock::new();
    TABLES.get_or_init(|| {
        let mut t = [[0u32; 256]; 4];
        t[0] = std::array::from_fn(|i| {
            (0..8).fold(i as u32, |c, _| if c & 1 != 0 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 })
        });
        for j in 1..4 {
            let (prev, base) = (t[j - 1], t[0]);
            t[j] = std::array::from_fn(|i| (prev[i] >> 8) ^ base[(prev[i] & 0xFF) as usize]);
        }
        t
    })
}

/// CRC-32 (IEEE, as ZIP uses it), four bytes a step.
pub fn crc32(data: &[u8]) -> u32 {
    let t = crc_tables();
    let mut c = !0u32;
    let mut words = data.chunks_exact(4);
    for w in &mut words {
        c ^= u32::from_le_bytes([w[0], w[1], w[2], w[3]]);
        c = t[3][(c & 0xFF) as usize]
            ^ t[2][((c >> 8) & 0xFF) as usize]
            ^ t[1][((c >> 16) & 0xFF) as usize]
            ^ t[0][(c >> 24) as usize];
    }
    for &b in words.remainder() {
        c = t[0][((c ^ u32::from(b)) & 0xFF) as usize] ^ (c >> 8);
    }
    !c
}

/// Builds a ZIP archive in memory, entries deflated, all stamped with one DOS date and time.
pub struct Writer {
    out: Vec<u8>,
    central: Vec<u8>,
    count: u16,
    dos: (u16, u16),
}

impl Writer {
    /// A new archive whose entries carry `(dos_time, dos_date)`.
    pub fn new(dos: (u16, u16)) -> Self {
        Writer { out: Vec::new(), central: Vec::new(), count: 0, dos }
    }

    /// Adds an entry (names are ASCII part names; contents far below 4 GiB).
    pub fn add(&mut self, name: &str, data: &[u8]) -> Result<(), XlsxError> {
        let packed = miniz_oxide::deflate::compress_to_vec(data, 6);
        let too_big = || XlsxError::TooLarge;
        let size = u32::try_from(data.len()).map_err(|_| too_big())?;
        let csize = u32::try_from(packed.len()).map_err(|_| too_big())?;
        let offset = u32::try_from(self.out.len()).map_err(|_| too_big())?;
        let name_len = u16::try_from(name.len()).map_err(|_| too_big())?;
        let crc = crc32(data);
        // Shared by the local header (from "version needed") and the central record.
        let mut common = Vec::with_capacity(26);
        for v in [20u16, 0, 8, self.dos.0, self.dos.1] {
            common.extend_from_slice(&v.to_le_bytes());
        }
        for v in [crc, csize, size] {
            common.extend_from_slice(&v.to_le_bytes());
        }
        common.extend_from_slice(&name_len.to_le_bytes());
        common.extend_from_slice(&0u16.to_le_bytes());
        self.out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        self.out.extend_from_slice(&common);
        self.out.extend_from_slice(name.as_bytes());
        self.out.extend_from_slice(&packed);
        self.central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        self.central.extend_from_slice(&20u16.to_le_bytes());
        self.central.extend_from_slice(&common);
        // Comment length, disk, internal and external attributes, then the local header's offset.
        self.central.extend_from_slice(&[0; 10]);
        self.central.extend_from_slice(&offset.to_le_bytes());
        self.central.extend_from_slice(name.as_bytes());
        self.count = self.count.checked_add(1).ok_or_else(too_big)?;
        Ok(())
    }

    /// The finished archive.
    pub fn finish(mut self) -> Result<Vec<u8>, XlsxError> {
        let too_big = || XlsxError::TooLarge;
        let at = u32::try_from(self.out.len()).map_err(|_| too_big())?;
        let len = u32::try_from(self.central.len()).map_err(|_| too_big())?;
        self.out.append(&mut self.central);
        self.out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
        for v in [0u16, 0, self.count, self.count] {
            self.out.extend_from_slice(&v.to_le_bytes());
        }
        self.out.extend_from_slice(&len.to_le_bytes());
        self.out.extend_from_slice(&at.to_le_bytes());
        self.out.extend_from_slice(&0u16.to_le_bytes());
        Ok(self.out)
    }
}
