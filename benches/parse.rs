//! Parsing throughput and memory of the CAMT.053 and MT940 sources on generated statements
//! (100,000 entries unless `SLUICE_BENCH_ENTRIES` says otherwise).
//!
//! A plain harness rather than criterion: the figures wanted are throughput next to a
//! reference point, not a statistical regression detector, and criterion would add a large
//! dependency tree to every clean build. Each format is timed against the cheapest pass any
//! parser of it must make — quick-xml's event stream over the CAMT bytes, a line iteration
//! over the MT940 text — so the ratio says what the parser adds on top of merely reading.
//!
//! Memory is measured on Linux only, each probe in a fresh process (this binary run again
//! with `--memory-probe`): the allocator keeps freed pages resident, so a probe that followed
//! a timing run would measure the allocator's cache rather than the parse. For the same
//! reason the resident set cannot tell what the records keep from what the parse freed but
//! the allocator still holds; a counting allocator, on only during a probe, tells that.
//!
//! `cargo bench --bench parse` runs it in release. Run without `--bench` (as
//! `cargo test --benches` does) it only checks, on a small file, that every pass works.

use std::alloc::{GlobalAlloc, Layout, System};
use std::fmt::Write as _;
use std::hint::black_box;
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicIsize, Ordering};
use std::time::{Duration, Instant};

use quick_xml::Reader;
use quick_xml::events::Event;
use sluice::pipeline::SourceFormat;
use sluice::sources::{InputFile, parse_standard};

const DEFAULT_ENTRIES: usize = 100_000;
/// Entries of the file parsed when run as a test rather than a benchmark.
const SMOKE_ENTRIES: usize = 1_000;
/// Enough for a stable best time on a quiet machine, few enough that the whole benchmark,
/// memory probes included, runs in about half a minute at 100,000 entries.
const RUNS: usize = 5;
/// The memory probe's second size, to show how memory grows with the file.
const GROWTH_FACTOR: usize = 4;
/// Banks send one MT940 statement per day; a few hundred entries is a busy account's day.
const MT940_ENTRIES_PER_STATEMENT: usize = 500;
/// Both accounts open the year with 1,000,000.00 EUR, so no balance turns negative.
const OPENING_CENTS: i64 = 100_000_000;
/// Throughput in decimal megabytes, as disk and network speeds are quoted.
const MB: f64 = 1e6;

#[global_allocator]
static HEAP: CountingAllocator = CountingAllocator;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [flag, format, entries] = args.as_slice()
        && flag == "--memory-probe"
    {
        let entries = entries.parse().expect("entry count");
        memory_probe(format_named(format), entries);
        return;
    }
    let benchmarking = args.iter().any(|a| a == "--bench");
    let entries = match std::env::var("SLUICE_BENCH_ENTRIES") {
        Ok(n) => n
            .replace('_', "")
            .parse()
            .expect("SLUICE_BENCH_ENTRIES must be a whole number"),
        Err(_) if benchmarking => DEFAULT_ENTRIES,
        Err(_) => SMOKE_ENTRIES,
    };
    let runs = if benchmarking { RUNS } else { 1 };

    let camt = camt053(entries);
    let mt940 = mt940(entries);
    let smoke = if benchmarking {
        ""
    } else {
        " (smoke run: pass --bench for figures)"
    };
    println!("sluice parse benchmark: {entries} entries, best and median of {runs} runs{smoke}");
    println!(
        "{:<6} {:<24} {:>9} {:>9} {:>10} {:>9} {:>12} {:>10}",
        "format", "pass", "size MB", "best ms", "median ms", "MB/s", "records/s", "× ref"
    );
    for (format, bytes, reference_name, reference) in [
        (
            SourceFormat::Camt,
            camt.as_bytes(),
            "quick-xml events (ref)",
            quick_xml_events as fn(&[u8]) -> usize,
        ),
        (
            SourceFormat::Mt940,
            mt940.as_bytes(),
            "line iteration (ref)",
            lines as fn(&[u8]) -> usize,
        ),
    ] {
        let parser = time(runs, || parse(format, bytes, entries));
        let floor = time(runs, || reference(bytes));
        let ratio = parser.best.as_secs_f64() / floor.best.as_secs_f64();
        let name = format_name(format);
        row(
            name,
            "sluice parse_standard",
            bytes.len(),
            entries,
            &parser,
            Some(ratio),
        );
        row(name, reference_name, bytes.len(), entries, &floor, None);
    }

    if !benchmarking {
        return;
    }
    if !std::path::Path::new("/proc/self/clear_refs").exists() {
        println!("\nmemory: not measured (needs Linux's /proc/self/status and clear_refs)");
        return;
    }
    println!(
        "\nmemory (Linux: VmRSS/VmHWM from /proc/self/status, peak reset through \
         /proc/self/clear_refs; a fresh process per probe; the input bytes are not counted)"
    );
    println!(
        "{:<6} {:>9} {:>8} {:>13} {:>10} {:>13} {:>13} {:>13}",
        "format",
        "entries",
        "file MB",
        "peak RSS+ MB",
        "peak/file",
        "peak heap MB",
        "kept heap MB",
        "kept B/record"
    );
    for format in [SourceFormat::Camt, SourceFormat::Mt940] {
        for n in [entries, entries * GROWTH_FACTOR] {
            probe_in_child(format, n);
        }
    }
}

/// Parses one file and checks every entry came out, so a refusal cannot pass for speed.
fn parse(format: SourceFormat, bytes: &[u8], entries: usize) -> sluice::sources::Records {
    let file = InputFile {
        name: "bench",
        sha256: "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        bytes,
    };
    let records = parse_standard(format, &file).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        records.len(),
        entries,
        "{} entries read",
        format_name(format)
    );
    records
}

/// What any XML parser must do at least: see every event once.
fn quick_xml_events(bytes: &[u8]) -> usize {
    let mut reader = Reader::from_reader(bytes);
    let mut events = 0;
    loop {
        match reader.read_event() {
            Ok(Event::Eof) => return events,
            Ok(event) => {
                black_box(event);
                events += 1;
            }
            Err(e) => panic!("generated CAMT is not XML: {e}"),
        }
    }
}

/// What any line parser must do at least: check the text is UTF-8 and see every line once.
fn lines(bytes: &[u8]) -> usize {
    let text = std::str::from_utf8(bytes).expect("generated MT940 is UTF-8");
    text.split('\n').map(|line| black_box(line).len()).sum()
}

struct Timing {
    best: Duration,
    median: Duration,
}

/// Runs `pass` `runs` times. Its result is dropped outside the clock: freeing 100,000
/// records is the caller's cost, not the parser's.
fn time<T>(runs: usize, mut pass: impl FnMut() -> T) -> Timing {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            let result = black_box(pass());
            let elapsed = start.elapsed();
            drop(result);
            elapsed
        })
        .collect();
    times.sort();
    Timing {
        best: times[0],
        median: times[times.len() / 2],
    }
}

fn row(format: &str, pass: &str, bytes: usize, records: usize, t: &Timing, ratio: Option<f64>) {
    let seconds = t.best.as_secs_f64();
    println!(
        "{:<6} {:<24} {:>9.1} {:>9.1} {:>10.1} {:>9.1} {:>12.0} {:>10}",
        format,
        pass,
        bytes as f64 / MB,
        seconds * 1e3,
        t.median.as_secs_f64() * 1e3,
        bytes as f64 / MB / seconds,
        records as f64 / seconds,
        ratio.map_or_else(|| "1.0".to_string(), |r| format!("{r:.1}")),
    )
}

fn format_name(format: SourceFormat) -> &'static str {
    match format {
        SourceFormat::Camt => "camt",
        SourceFormat::Mt940 => "mt940",
        _ => unreachable!("only CAMT and MT940 are benchmarked"),
    }
}

fn format_named(name: &str) -> SourceFormat {
    match name {
        "camt" => SourceFormat::Camt,
        "mt940" => SourceFormat::Mt940,
        _ => panic!("unknown format {name}"),
    }
}

/// Runs `memory_probe` in a fresh process and prints its row.
fn probe_in_child(format: SourceFormat, entries: usize) {
    let output = Command::new(std::env::current_exe().expect("own executable"))
        .args(["--memory-probe", format_name(format), &entries.to_string()])
        .output()
        .expect("memory probe starts");
    assert!(
        output.status.success(),
        "memory probe failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let numbers: Vec<f64> = String::from_utf8_lossy(&output.stdout)
        .split_whitespace()
        .map(|n| n.parse().expect("probe prints numbers"))
        .collect();
    let [file, peak_rss, peak_heap, kept_heap] = numbers[..] else {
        panic!("memory probe printed {numbers:?}");
    };
    println!(
        "{:<6} {:>9} {:>8.1} {:>13.1} {:>10.2} {:>13.1} {:>13.1} {:>13.0}",
        format_name(format),
        entries,
        file / MB,
        peak_rss / MB,
        peak_rss / file,
        peak_heap / MB,
        kept_heap / MB,
        kept_heap / entries as f64,
    );
}

/// Generates the file, then parses it with the peak resident set reset and the heap counted
/// from just before. Prints, in bytes: the file size, the peak resident set growth while
/// parsing, the peak heap growth, and the heap still held by the records.
fn memory_probe(format: SourceFormat, entries: usize) {
    let text = match format {
        SourceFormat::Camt => camt053(entries),
        _ => mt940(entries),
    };
    std::fs::write("/proc/self/clear_refs", "5").expect("peak RSS reset (Linux only)");
    let before = status_kb("VmRSS");
    COUNTING.store(true, Ordering::Relaxed);
    let records = parse(format, text.as_bytes(), entries);
    COUNTING.store(false, Ordering::Relaxed);
    let peak_rss = (status_kb("VmHWM") - before) * 1024;
    black_box(&records);
    println!(
        "{} {peak_rss} {} {}",
        text.len(),
        PEAK.load(Ordering::Relaxed),
        LIVE.load(Ordering::Relaxed)
    );
}

static COUNTING: AtomicBool = AtomicBool::new(false);
/// Heap bytes allocated and not freed since counting started, and their high-water mark.
static LIVE: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);

/// The system allocator, counting while `COUNTING` is on. Off, it costs one relaxed load
/// per call, so the timed runs measure the parser, not the counting.
struct CountingAllocator;

impl CountingAllocator {
    fn count(&self, bytes: isize) {
        if COUNTING.load(Ordering::Relaxed) {
            let live = LIVE.fetch_add(bytes, Ordering::Relaxed) + bytes;
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
    }
}

// SAFETY: every call is passed on unchanged to `System`; only the counters are added.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract for `alloc` is passed on as is.
        let block = unsafe { System.alloc(layout) };
        if !block.is_null() {
            self.count(layout.size() as isize);
        }
        block
    }

    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract for `dealloc` is passed on as is.
        unsafe { System.dealloc(block, layout) };
        self.count(-(layout.size() as isize));
    }

    unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller's contract for `realloc` is passed on as is.
        let moved = unsafe { System.realloc(block, layout, new_size) };
        if !moved.is_null() {
            self.count(new_size as isize - layout.size() as isize);
        }
        moved
    }
}

fn status_kb(key: &str) -> i64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|line| line.strip_prefix(key)?.strip_prefix(':'))
        .and_then(|rest| rest.trim().strip_suffix("kB"))
        .and_then(|kb| kb.trim().parse().ok())
        .unwrap_or_else(|| panic!("{key} in /proc/self/status"))
}

/// A camt.053.001.02 end-of-day statement as German banks write it: one `Stmt`, pretty
/// printed, each `Ntry` with one `TxDtls`. One entry in a hundred is pending (`PDNG`), so
/// both the booked and the not-booked paths are read; the balances add up over the rest.
fn camt053(entries: usize) -> String {
    let mut rng = Rng(0x5EED_CA47);
    let own = iban("37040044", 532_013_000);
    let opening = OPENING_CENTS;
    let mut body = String::with_capacity(entries * 1200);
    let mut closing = opening;
    for n in 1..=entries {
        let cents = rng.amount();
        let credit = rng.below(3) != 0;
        let booked = n % 100 != 0;
        if booked {
            closing += if credit { cents } else { -cents };
        }
        let date = day(n, entries);
        let (party, party_account, code) = if credit {
            ("Dbtr", "DbtrAcct", "RCDT</Cd><SubFmlyCd>ESCT")
        } else {
            ("Cdtr", "CdtrAcct", "ICDT</Cd><SubFmlyCd>ESCT")
        };
        write!(
            body,
            r#"      <Ntry>
        <Amt Ccy="EUR">{amount}</Amt>
        <CdtDbtInd>{direction}</CdtDbtInd>
        <Sts>{status}</Sts>
        <BookgDt><Dt>{date}</Dt></BookgDt>
        <ValDt><Dt>{date}</Dt></ValDt>
        <AcctSvcrRef>2026{n:010}</AcctSvcrRef>
        <BkTxCd>
          <Domn><Cd>PMNT</Cd><Fmly><Cd>{code}</SubFmlyCd></Fmly></Domn>
        </BkTxCd>
        <NtryDtls>
          <TxDtls>
            <Refs>
              <EndToEndId>E2E-2026-{n:08}</EndToEndId>
            </Refs>
            <RltdPties>
              <{party}><Nm>{name}</Nm></{party}>
              <{party_account}><Id><IBAN>{counterparty}</IBAN></Id></{party_account}>
            </RltdPties>
            <RmtInf>
              <Ustrd>Invoice INV-2026-{n:06} customer {customer}</Ustrd>
            </RmtInf>
          </TxDtls>
        </NtryDtls>
      </Ntry>
"#,
            amount = decimal(cents, '.'),
            direction = if credit { "CRDT" } else { "DBIT" },
            status = if booked { "BOOK" } else { "PDNG" },
            name = rng.name(),
            counterparty = rng.iban(),
            customer = 1000 + rng.below(9000),
        )
        .expect("writing to a String");
    }
    let balance = |code: &str, cents: i64, date: &str| {
        format!(
            r#"      <Bal>
        <Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp>
        <Amt Ccy="EUR">{}</Amt>
        <CdtDbtInd>{}</CdtDbtInd>
        <Dt><Dt>{date}</Dt></Dt>
      </Bal>
"#,
            decimal(cents.abs(), '.'),
            if cents < 0 { "DBIT" } else { "CRDT" },
        )
    };
    let mut text = String::with_capacity(body.len() + 2048);
    write!(
        text,
        r#"<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <BkToCstmrStmt>
    <GrpHdr>
      <MsgId>BENCH-2026</MsgId>
      <CreDtTm>2027-01-01T06:00:00+01:00</CreDtTm>
    </GrpHdr>
    <Stmt>
      <Id>BENCH-2026-001</Id>
      <ElctrncSeqNb>1</ElctrncSeqNb>
      <CreDtTm>2027-01-01T06:00:00+01:00</CreDtTm>
      <Acct>
        <Id>
          <IBAN>{own}</IBAN>
        </Id>
        <Ccy>EUR</Ccy>
      </Acct>
{}{}{body}    </Stmt>
  </BkToCstmrStmt>
</Document>
"#,
        balance("OPBD", opening, "2025-12-31"),
        balance("CLBD", closing, "2026-12-31"),
    )
    .expect("writing to a String");
    text
}

/// MT940 as German banks send it: CRLF lines of at most 65 characters, one statement per
/// day chained by its balances, `:86:` in `?`-sub-fields with the SEPA remittance
/// (`EREF+`, `SVWZ+`) in `?20`–`?29` of 27 characters each.
fn mt940(entries: usize) -> String {
    let mut rng = Rng(0x5EED_0940);
    let own = iban("37040044", 532_013_000);
    let mut text = String::with_capacity(entries * 400);
    let mut balance = OPENING_CENTS;
    let statements = entries.div_ceil(MT940_ENTRIES_PER_STATEMENT);
    for s in 0..statements {
        let first = s * MT940_ENTRIES_PER_STATEMENT + 1;
        let last = entries.min(first + MT940_ENTRIES_PER_STATEMENT - 1);
        let opened = swift_date(day(first, entries));
        let mut fields = format!(
            ":20:STARTUMS\r\n:25:{own}\r\n:28C:{:05}/001\r\n:60F:{}\r\n",
            s + 1,
            swift_balance(balance, &opened),
        );
        for n in first..=last {
            let entry_date = swift_date(day(n, entries));
            let cents = rng.amount();
            let credit = rng.below(3) != 0;
            balance += if credit { cents } else { -cents };
            let (mark, code, booking_text) = if credit {
                ('C', "166", "SEPA-GUTSCHRIFT")
            } else {
                ('D', "116", "SEPA-UEBERWEISUNG")
            };
            let remittance = format!(
                "EREF+E2E-2026-{n:08}SVWZ+Invoice INV-2026-{n:06} customer {}",
                1000 + rng.below(9000)
            );
            let mut details = format!("{code}?00{booking_text}?109310");
            for (i, chunk) in remittance.as_bytes().chunks(27).enumerate() {
                let chunk = std::str::from_utf8(chunk).expect("ASCII remittance");
                write!(details, "?{}{chunk}", 20 + i).expect("writing to a String");
            }
            write!(details, "?30COBADEFFXXX?31{}?32{}", rng.iban(), rng.name())
                .expect("writing to a String");
            write!(
                fields,
                ":61:{entry_date}{}{mark}{}NTRFNONREF//2026{n:010}\r\n:86:",
                &entry_date[2..],
                decimal(cents, ','),
            )
            .expect("writing to a String");
            wrap(&mut fields, &details, 65 - ":86:".len());
        }
        let closed = swift_date(day(last, entries));
        write!(fields, ":62F:{}\r\n-\r\n", swift_balance(balance, &closed))
            .expect("writing to a String");
        text.push_str(&fields);
    }
    text
}

/// Continues `out` with `value` cut into lines: the first `first_width` characters long,
/// the rest 65 (the SWIFT line length).
fn wrap(out: &mut String, value: &str, first_width: usize) {
    let (head, mut rest) = value.split_at(first_width.min(value.len()));
    out.push_str(head);
    out.push_str("\r\n");
    while !rest.is_empty() {
        let (line, tail) = rest.split_at(65.min(rest.len()));
        out.push_str(line);
        out.push_str("\r\n");
        rest = tail;
    }
}

/// `C261031EUR1137,60`
fn swift_balance(cents: i64, date: &str) -> String {
    let mark = if cents < 0 { 'D' } else { 'C' };
    format!("{mark}{date}EUR{}", decimal(cents.abs(), ','))
}

/// `2026-03-14` → `260314`
fn swift_date(date: String) -> String {
    date[2..].replace('-', "")
}

/// The day of 2026 entry `n` of `entries` is booked on, spread evenly over the year
/// (28 days a month keeps every date valid without a calendar).
fn day(n: usize, entries: usize) -> String {
    let day_of_year = (n - 1) * (12 * 28) / entries.max(1);
    format!(
        "2026-{:02}-{:02}",
        day_of_year / 28 + 1,
        day_of_year % 28 + 1
    )
}

/// Unsigned cents as `1234.56` (camt) or `1234,56` (MT940).
fn decimal(cents: i64, point: char) -> String {
    format!("{}{point}{:02}", cents / 100, cents % 100)
}

/// A German IBAN for bank code and account number, with the check digits computed as
/// ISO 13616 says: the parser checks them, as it must for real files.
fn iban(bank_code: &str, account: u64) -> String {
    let bban = format!("{bank_code}{account:010}");
    // BBAN, then the country code as digits (D = 13, E = 14), then check digits 00.
    let remainder = format!("{bban}131400")
        .bytes()
        .fold(0u32, |r, digit| (r * 10 + u32::from(digit - b'0')) % 97);
    format!("DE{:02}{bban}", 98 - remainder)
}

/// A fixed-seed xorshift generator: the same file on every run and machine, with no
/// dependency on a random crate.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// Cents from 1.00 to 9,999.99, most of them small, as payments are.
    fn amount(&mut self) -> i64 {
        let scale = [1_000, 10_000, 100_000, 1_000_000][self.below(4) as usize];
        100 + self.below(scale) as i64
    }

    fn name(&mut self) -> String {
        const GIVEN: [&str; 8] = [
            "Hans", "Erika", "Jonas", "Lena", "Mehmet", "Sofia", "Lukas", "Anna",
        ];
        const FAMILY: [&str; 8] = [
            "Mueller",
            "Schmidt",
            "Schneider",
            "Fischer",
            "Weber",
            "Yilmaz",
            "Wagner",
            "Becker",
        ];
        let given = GIVEN[self.below(8) as usize];
        let family = FAMILY[self.below(8) as usize];
        format!("{given} {family}")
    }

    fn iban(&mut self) -> String {
        const BANK_CODES: [&str; 4] = ["10010010", "20041133", "50010517", "70150000"];
        iban(
            BANK_CODES[self.below(4) as usize],
            self.below(10_000_000_000),
        )
    }
}
