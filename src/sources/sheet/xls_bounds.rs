//! What an XLS file says about its own size, checked before calamine believes it. calamine
//! (0.38) trusts two things in an XLS file that a damaged or hostile one can get wrong, and
//! neither ends in an error it could return or a panic sluice could catch — the process
//! runs out of memory and dies:
//!
//! - the compound file's sector table (FAT): calamine follows a chain of sectors until it
//!   ends, and a chain that loops back on itself never does, so calamine keeps appending
//!   the same sectors to one buffer;
//! - a sheet's DIMENSIONS record: calamine reserves room for every cell of the area it
//!   claims (up to 4 billion rows) before reading a single cell;
//! - the cells' own positions: calamine lays the sheet out as one block from its first
//!   cell to its last, so two cells at A1 and at row 65,536, column 65,536 ask for 4
//!   billion.
//!
//! So the sector table, the directory, the workbook stream and each sheet's records are
//! read here the way calamine reads them (cfb.rs and xls.rs of calamine 0.38: the same
//! sectors, including its zero-filling past the end of the file, and the same record runs),
//! and a file whose chains loop or whose sheets claim more than the caller's limit is
//! refused. Anything else malformed is left to calamine, which refuses it (or panics, which
//! sheet reading catches).

/// Why an XLS file is refused before calamine reads it.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// A sector chain loops, or the file names more table sectors than it has sectors.
    Damaged(&'static str),
    /// A sheet's DIMENSIONS record claims this many rows and columns.
    TooLarge { rows: u64, columns: u64 },
}

const RESERVED_SECTORS: u32 = 0xFFFF_FFFA;
const DIFSECT: u32 = 0xFFFF_FFFC;
const ENDOFCHAIN: u32 = 0xFFFF_FFFE;
const CONTINUE: u16 = 0x003C;
const BOUND_SHEET: u16 = 0x0085;
const BOF: u16 = 0x0809;
const EOF: u16 = 0x000A;
const DIMENSIONS: u16 = 0x0200;
const FORMULA: u16 = 0x0006;
const MUL_RK: u16 = 0x00BD;
/// Records calamine turns into a cell, each starting with its row and column (u16 each).
const CELLS: &[u16] = &[
    0x0203, 0x0204, 0x00D6, 0x0205, 0x027E, 0x00FD, FORMULA, MUL_RK,
];

/// `Err` when calamine would loop over the file's sectors or reserve more than `max_cells`
/// cells for a sheet; `Ok` for everything else.
pub fn check(bytes: &[u8], max_cells: u64) -> Result<(), Refusal> {
    let Some(file) = Compound::open(bytes)? else {
        return Ok(());
    };
    let Some(stream) = file.workbook()? else {
        return Ok(());
    };
    sheets_within(&stream, max_cells)
}

/// calamine's `Sectors`: the file after its header, read on demand; a sector reaching past
/// the end is cut short the first time and reads as zeros afterwards.
struct Sectors<'a> {
    file: &'a [u8],
    size: usize,
    max_id: u32,
    /// How far calamine's buffer has grown (zeros past the end of `file`).
    loaded: usize,
}

impl Sectors<'_> {
    /// The sector's bytes, or `None` where calamine returns an error or panics.
    fn get(&mut self, id: u32) -> Option<Vec<u8>> {
        if id > self.max_id {
            return None;
        }
        let start = id as usize * self.size;
        let end = start + self.size;
        let mut stop = end;
        if end > self.loaded {
            let had = self.loaded;
            self.loaded = end;
            let available = self.file.len().max(had);
            if available < end {
                stop = available;
            }
        }
        if start > stop {
            return None;
        }
        Some(
            (start..stop)
                .map(|i| self.file.get(i).copied().unwrap_or(0))
                .collect(),
        )
    }

    /// calamine's `get_chain`: the chain's sectors joined, cut at `len` bytes. Only called
    /// once the table is known not to loop.
    fn chain(&mut self, mut id: u32, fats: &[u32], len: usize) -> Option<Vec<u8>> {
        let mut joined = Vec::new();
        while id != ENDOFCHAIN {
            let sector = self.get(id)?;
            let take = sector.len().min(len - joined.len());
            joined.extend_from_slice(&sector[..take]);
            if joined.len() >= len {
                break;
            }
            id = *fats.get(id as usize)?;
        }
        Some(joined)
    }
}

fn words(bytes: &[u8]) -> Option<Vec<u32>> {
    // calamine asserts whole words; a cut-short sector makes it panic.
    if !bytes.len().is_multiple_of(4) {
        return None;
    }
    Some(
        bytes
            .chunks_exact(4)
            .map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]]))
            .collect(),
    )
}

fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(bytes.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

struct Directory {
    name: String,
    start: u32,
    len: usize,
}

struct Compound<'a> {
    sectors: Sectors<'a>,
    fats: Vec<u32>,
    directories: Vec<Directory>,
    mini_fats: Vec<u32>,
    ministream: Vec<u8>,
}

impl<'a> Compound<'a> {
    /// The file's sector table and directory as calamine loads them; `Ok(None)` where
    /// calamine refuses the file itself.
    fn open(bytes: &'a [u8]) -> Result<Option<Compound<'a>>, Refusal> {
        let header = match bytes.get(..512) {
            Some(h) if h.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") => h,
            _ => return Ok(None),
        };
        let size = match u16_at(header, 30) {
            Some(0x0009) => 512,
            Some(0x000C) if bytes.len() >= 4096 => 4096,
            _ => return Ok(None),
        };
        let field = |at| u32_at(header, at).unwrap_or(0);
        let (version, dir_start) = (u16_at(header, 26).unwrap_or(0), field(48));
        let (mini_fat_start, mini_fat_len) = (field(60), field(64) as usize);
        let mut sectors = Sectors {
            file: &bytes[size..],
            size,
            max_id: u32::try_from(bytes.len() / size).unwrap_or(u32::MAX),
            loaded: 0,
        };
        let max_id = sectors.max_id as usize;
        let Some(mut difat) = words(&header[76..512]) else {
            return Ok(None);
        };
        let mut id = field(68);
        let mut difat_sectors = 0usize;
        while id < RESERVED_SECTORS {
            difat_sectors += 1;
            if difat_sectors > max_id.saturating_add(1) {
                return Ok(None);
            }
            let Some(more) = sectors.get(id).and_then(|s| words(&s)) else {
                return Ok(None);
            };
            difat.extend(more);
            let Some(next) = difat.pop() else {
                return Ok(None);
            };
            id = next;
        }
        let fat_sectors: Vec<u32> = difat.into_iter().filter(|id| *id < DIFSECT).collect();
        // Each table sector is a sector of the file: a file naming more is not one, and
        // calamine would load them all, over and over.
        if fat_sectors.len() > max_id.saturating_add(1) {
            return Err(Refusal::Damaged("its sector table is larger than the file"));
        }
        let mut fats = Vec::new();
        for id in fat_sectors {
            let Some(table) = sectors.get(id).and_then(|s| words(&s)) else {
                return Ok(None);
            };
            fats.extend(table);
        }
        if loops(&fats) {
            return Err(Refusal::Damaged(
                "a chain of its sectors loops back on itself",
            ));
        }
        let Some(dirs) = sectors.chain(dir_start, &fats, usize::MAX) else {
            return Ok(None);
        };
        let directories: Vec<Directory> = dirs
            .chunks(128)
            .filter(|c| c.len() == 128)
            .map(|c| directory(c, size))
            .collect();
        let Some(root) = directories.first() else {
            return Ok(None);
        };
        if version != 3 && root.start == ENDOFCHAIN {
            return Ok(None);
        }
        let (mini_fats, ministream) = if mini_fat_len > 0 {
            let (root_start, root_len) = (root.start, root.len);
            let Some(ministream) = sectors.chain(root_start, &fats, root_len) else {
                return Ok(None);
            };
            let Some(minifat) = sectors
                .chain(mini_fat_start, &fats, mini_fat_len.saturating_mul(size))
                .and_then(|m| words(&m))
            else {
                return Ok(None);
            };
            (minifat, ministream)
        } else {
            (Vec::new(), Vec::new())
        };
        Ok(Some(Compound {
            sectors,
            fats,
            directories,
            mini_fats,
            ministream,
        }))
    }

    /// The `Workbook` stream, else the `Book` stream of older files, as calamine gets it.
    fn workbook(mut self) -> Result<Option<Vec<u8>>, Refusal> {
        match self.stream("Workbook")? {
            Some(stream) => Ok(Some(stream)),
            None => self.stream("Book"),
        }
    }

    fn stream(&mut self, name: &str) -> Result<Option<Vec<u8>>, Refusal> {
        let Some(d) = self
            .directories
            .iter()
            .find(|d| d.name.as_bytes().eq_ignore_ascii_case(name.as_bytes()))
        else {
            return Ok(None);
        };
        let (start, len) = (d.start, d.len);
        if len >= 4096 {
            return Ok(self.sectors.chain(start, &self.fats, len));
        }
        // Small streams live in 64-byte sectors of the root's mini stream, which the chain
        // cannot loop over for long: it stops at `len`, under 4 KB.
        let max_id = self.sectors.max_id as usize * 8;
        let mut joined = Vec::new();
        let mut id = start;
        while id != ENDOFCHAIN {
            let from = id as usize * 64;
            if id as usize > max_id {
                return Ok(None);
            }
            // calamine would read such a sector from wherever its file reader stands, not
            // from the mini stream: what it would then see is not what this check sees.
            let Some(sector) = self.ministream.get(from..from + 64) else {
                return Err(Refusal::Damaged(
                    "a stream points past the end of its container",
                ));
            };
            let take = sector.len().min(len - joined.len());
            joined.extend_from_slice(&sector[..take]);
            if joined.len() >= len {
                break;
            }
            let Some(next) = self.mini_fats.get(id as usize) else {
                return Ok(None);
            };
            id = *next;
        }
        Ok(Some(joined))
    }
}

fn directory(entry: &[u8], sector_size: usize) -> Directory {
    let (mut name, _, _) = encoding_rs::UTF_16LE.decode(&entry[..64]);
    let name = name.to_mut();
    if let Some(end) = name.as_bytes().iter().position(|b| *b == 0) {
        name.truncate(end);
    }
    let start = u32_at(entry, 116).unwrap_or(ENDOFCHAIN);
    let len = if sector_size == 512 {
        u32_at(entry, 120).unwrap_or(0) as usize
    } else {
        u32_at(entry, 120).unwrap_or(0) as usize | (u32_at(entry, 124).unwrap_or(0) as usize) << 32
    };
    Directory {
        name: name.clone(),
        start,
        len,
    }
}

/// Whether following the table from some sector comes back to a sector already on the way.
fn loops(fats: &[u32]) -> bool {
    #[derive(Clone, Copy, PartialEq)]
    enum Seen {
        Not,
        OnThisPath,
        Ends,
    }
    let mut seen = vec![Seen::Not; fats.len()];
    let mut path = Vec::new();
    for first in 0..fats.len() {
        let mut at = first;
        loop {
            match seen[at] {
                Seen::Ends => break,
                Seen::OnThisPath => return true,
                Seen::Not => {}
            }
            seen[at] = Seen::OnThisPath;
            path.push(at);
            match usize::try_from(fats[at]).ok().filter(|n| *n < fats.len()) {
                Some(next) => at = next,
                None => break,
            }
        }
        for p in path.drain(..) {
            seen[p] = Seen::Ends;
        }
    }
    false
}

/// One record of calamine's `RecordIter`: its type and data (CONTINUE records after it
/// are skipped, as DIMENSIONS and BoundSheet8 read only their own data).
fn records(mut stream: &[u8]) -> impl Iterator<Item = Option<(u16, &[u8])>> {
    std::iter::from_fn(move || {
        if stream.is_empty() {
            return None;
        }
        let (Some(typ), Some(len)) = (u16_at(stream, 0), u16_at(stream, 2)) else {
            stream = &[];
            return Some(None);
        };
        let Some(data) = stream.get(4..4 + len as usize) else {
            stream = &[];
            return Some(None);
        };
        stream = &stream[4 + len as usize..];
        while stream.len() > 4 && u16_at(stream, 0) == Some(CONTINUE) {
            let len = u16_at(stream, 2).unwrap_or(0) as usize;
            match stream.get(4 + len..) {
                Some(rest) => stream = rest,
                None => {
                    stream = &[];
                    return Some(None);
                }
            }
        }
        Some(Some((typ, data)))
    })
}

/// Each sheet's DIMENSIONS, as calamine reads the sheets: from the offsets the workbook's
/// BoundSheet8 records give, skipping embedded substreams, in order, stopping at the first
/// record calamine cannot read.
fn sheets_within(stream: &[u8], max_cells: u64) -> Result<(), Refusal> {
    let mut offsets = Vec::new();
    for record in records(stream) {
        let Some((typ, data)) = record else {
            return Ok(());
        };
        match typ {
            BOUND_SHEET => match u32_at(data, 0) {
                Some(at) => offsets.push(at as usize),
                None => return Ok(()),
            },
            EOF => break,
            _ => {}
        }
    }
    for at in offsets {
        let Some(sheet) = stream.get(at..) else {
            return Ok(());
        };
        let mut seen_bof = false;
        let mut depth = 0usize;
        let mut area = Area::default();
        for record in records(sheet) {
            // calamine stops at a record it cannot read, before laying out this sheet.
            let Some((typ, data)) = record else {
                return Ok(());
            };
            if depth > 0 {
                match typ {
                    BOF => depth += 1,
                    EOF => depth -= 1,
                    _ => {}
                }
                continue;
            }
            match typ {
                BOF if seen_bof => depth += 1,
                BOF => seen_bof = true,
                DIMENSIONS => {
                    let Some((rows, columns)) = claimed(data) else {
                        return Ok(());
                    };
                    if rows.saturating_mul(columns) > max_cells {
                        return Err(Refusal::TooLarge { rows, columns });
                    }
                }
                EOF => break,
                typ if CELLS.contains(&typ) => area.add(typ, data),
                _ => {}
            }
        }
        area.within(max_cells)?;
    }
    Ok(())
}

/// The block calamine lays a sheet's cells out in: from the first row and column any cell
/// record names to the last.
#[derive(Default)]
struct Area {
    rows: Option<(u16, u16)>,
    columns: Option<(u16, u16)>,
}

impl Area {
    fn add(&mut self, typ: u16, data: &[u8]) {
        let (Some(row), Some(column)) = (u16_at(data, 0), u16_at(data, 2)) else {
            return;
        };
        let widen = |span: Option<(u16, u16)>, n: u16| {
            Some(span.map_or((n, n), |(lo, hi)| (lo.min(n), hi.max(n))))
        };
        self.rows = widen(self.rows, row);
        self.columns = widen(self.columns, column);
        if typ == MUL_RK
            && let Some(last) = data.len().checked_sub(2).and_then(|at| u16_at(data, at))
        {
            self.columns = widen(self.columns, last);
        }
    }

    fn within(&self, max_cells: u64) -> Result<(), Refusal> {
        let span = |s: Option<(u16, u16)>| s.map_or(0, |(lo, hi)| u64::from(hi - lo) + 1);
        let (rows, columns) = (span(self.rows), span(self.columns));
        if rows.saturating_mul(columns) > max_cells {
            return Err(Refusal::TooLarge { rows, columns });
        }
        Ok(())
    }
}

/// The rows and columns calamine reserves for a DIMENSIONS record (its `parse_dimensions`,
/// then `end - start + 1` in u32 as it computes them, wrapping as a release build does;
/// a debug build panics there instead, which sheet reading catches).
fn claimed(data: &[u8]) -> Option<(u64, u64)> {
    let (rf, rl, mut cf, cl) = match data.len() {
        10 => (
            u32::from(u16_at(data, 0)?),
            u32::from(u16_at(data, 2)?),
            u32::from(u16_at(data, 4)?),
            u32::from(u16_at(data, 6)?),
        ),
        14 | 16 => (
            u32_at(data, 0)?,
            u32_at(data, 4)?,
            u32::from(u16_at(data, 8)?),
            u32::from(u16_at(data, 10)?),
        ),
        _ => return None,
    };
    if 0xFF < cf || cl < cf {
        cf = 0;
    }
    let (start, end) = if 1 <= rl && 1 <= cl {
        ((rf, cf), (rl - 1, cl - 1))
    } else {
        ((rf, cf), (rf, cf))
    };
    let rows = end.0.wrapping_sub(start.0).wrapping_add(1);
    let columns = end.1.wrapping_sub(start.1).wrapping_add(1);
    Some((u64::from(rows), u64::from(columns)))
}
