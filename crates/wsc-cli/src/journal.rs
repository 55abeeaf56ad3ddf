//! The journal of billed creates: one line of JSON per event in
//! `$XDG_STATE_HOME/wsc/creates.jsonl` (`~/.local/state/wsc/` without it).
//!
//! Before createJob is sent, `wsc create` appends the create (target, memo,
//! tag, endpoint, profile, when); once its job is named, it appends the same
//! create with the job's id. `wsc recover` names the job of every create still
//! without one, by its tag, and appends what it found. Lines are only ever
//! appended, under an exclusive lock, so parallel runs never lose one; the
//! file is 0600 in a 0700 directory, and is never opened through a symlink.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use serde::{Deserialize, Serialize};
use std::sync::Mutex;
use wsc_core::CreateTag;
use wsc_core::journal::{CreateJournal, PendingCreate, Settled};

/// Longest journal the CLI reads (it holds a line per create).
const MAX_BYTES: u64 = 16 << 20;

/// One billed create, as sent, and its job once named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// This create's own identity across its lines: random, drawn once per
    /// create (two creates of one target in one second, untagged, are still
    /// two). Lines written before it existed have none and are told apart
    /// by tag, time and target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_id: Option<String>,
    /// The target URL.
    pub target: String,
    /// The user's memo (without the tag).
    pub memo: Option<String>,
    /// The create's tag, `[wsc:xxxxxxxx]` (none with `--no-tag`).
    pub tag: Option<String>,
    /// The base URL it was sent to.
    pub endpoint: String,
    /// The credentials' profile.
    pub profile: String,
    /// When it was sent (RFC 3339, UTC).
    pub sent_at: String,
    /// The job's id, once named.
    #[serde(default)]
    pub id: Option<u64>,
    /// `"not_started"` once the create is known to have started nothing (it
    /// never reached the service, or the service refused it): nothing to
    /// recover.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
}

/// The state of a create that started nothing.
pub const NOT_STARTED: &str = "not_started";

impl Entry {
    /// Whether the create may have started a job whose id is not known.
    pub fn pending(&self) -> bool {
        self.id.is_none() && self.state.as_deref() != Some(NOT_STARTED)
    }
}

/// What identifies one create across its lines.
#[derive(Debug, PartialEq, Eq)]
enum Key<'a> {
    /// Its random identity.
    Id(&'a str),
    /// A line without one: tag, time and target.
    Legacy(&'a Option<String>, &'a str, &'a str),
}

impl Entry {
    /// What identifies the create across its lines.
    fn key(&self) -> Key<'_> {
        match &self.create_id {
            Some(id) => Key::Id(id),
            None => Key::Legacy(&self.tag, &self.sent_at, &self.target),
        }
    }

    /// When it was sent.
    pub fn sent_time(&self) -> Option<SystemTime> {
        humantime::parse_rfc3339(&self.sent_at).ok()
    }

    /// The create as the core matches it; `None` when its tag or time
    /// cannot be read (nothing can be matched to it).
    pub fn pending_create(&self) -> Option<PendingCreate> {
        let tag = match &self.tag {
            Some(tag) => Some(tag.parse::<CreateTag>().ok()?),
            None => None,
        };
        Some(PendingCreate::new(
            self.create_id.clone().unwrap_or_default(),
            &self.target,
            self.memo.clone(),
            tag,
            self.sent_time()?,
        ))
    }
}

/// The journal as a client's [`CreateJournal`]: the creates of one run,
/// sent to `endpoint` with `profile`. A line it cannot append after the
/// create was sent is kept as a warning, for [`RunJournal::warnings`].
pub struct RunJournal {
    journal: Journal,
    endpoint: String,
    profile: String,
    warnings: Mutex<Vec<String>>,
}

impl RunJournal {
    pub fn new(journal: Journal, endpoint: String, profile: String) -> Self {
        Self {
            journal,
            endpoint,
            profile,
            warnings: Mutex::new(Vec::new()),
        }
    }

    /// Where the journal is.
    pub fn path(&self) -> &Path {
        self.journal.path()
    }

    /// The lines that could not be appended, as warnings (taken once).
    pub fn warnings(&self) -> Vec<String> {
        std::mem::take(&mut *self.warnings.lock().unwrap_or_else(|p| p.into_inner()))
    }

    fn entry(&self, create: &PendingCreate) -> Entry {
        Entry {
            create_id: Some(create.id().to_owned()),
            target: create.target().to_owned(),
            memo: create.memo().map(str::to_owned),
            tag: create.tag().map(|t| t.to_string()),
            endpoint: self.endpoint.clone(),
            profile: self.profile.clone(),
            sent_at: timestamp(create.sent_at()),
            id: None,
            state: None,
        }
    }
}

impl CreateJournal for RunJournal {
    fn record(&self, create: &PendingCreate) -> std::io::Result<()> {
        self.journal.append(&self.entry(create))
    }

    fn settle(&self, create: &PendingCreate, settled: Settled) {
        let (entry, what) = match settled {
            Settled::Job(id) => (
                Entry {
                    id: Some(id.get()),
                    ..self.entry(create)
                },
                format!("job {id}"),
            ),
            Settled::NothingStarted => (
                Entry {
                    state: Some(NOT_STARTED.to_owned()),
                    ..self.entry(create)
                },
                "that no scan was started".to_owned(),
            ),
        };
        if let Err(e) = self.journal.append(&entry) {
            let warning = format!("{} cannot record {what}: {e}", self.path().display());
            self.warnings
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push(warning);
        }
    }
}

/// `now` as the journal writes times.
pub fn timestamp(now: SystemTime) -> String {
    humantime::format_rfc3339_seconds(now).to_string()
}

/// The journal file.
pub struct Journal {
    path: PathBuf,
}

impl Journal {
    /// The journal in the state directory: `$XDG_STATE_HOME/wsc/creates.jsonl`,
    /// else `$HOME/.local/state/wsc/creates.jsonl`.
    pub fn locate(xdg_state_home: Option<&str>, home: Option<&Path>) -> Option<Self> {
        let dir = match xdg_state_home.filter(|d| Path::new(d).is_absolute()) {
            Some(dir) => PathBuf::from(dir),
            None => home?.join(".local").join("state"),
        };
        Some(Self {
            path: dir.join("wsc").join("creates.jsonl"),
        })
    }

    /// Where it is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends `entry`, under the lock, synced to disk before returning. A
    /// last line left torn (a full disk, a power cut mid-append) is ended
    /// first, so the tear costs only itself and this line stays whole.
    pub fn append(&self, entry: &Entry) -> std::io::Result<()> {
        let dir = self.path.parent().unwrap_or(Path::new("."));
        crate::fsutil::create_private_dir(dir)?;
        let _lock = crate::fsutil::FileLock::acquire(&self.path)?;
        let mut file = open_no_follow(&self.path, true)?;
        let mut line = Vec::new();
        if !ends_with_newline(&mut file)? {
            line.push(b'\n');
        }
        serde_json::to_writer(&mut line, entry).map_err(std::io::Error::other)?;
        line.push(b'\n');
        file.write_all(&line)?;
        file.sync_all()
    }

    /// Every create, each with its latest line, oldest first; a missing
    /// journal is empty. Lines that are not entries (a torn write) are
    /// skipped and counted.
    pub fn entries(&self) -> std::io::Result<(Vec<Entry>, usize)> {
        let file = match open_no_follow(&self.path, false) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((Vec::new(), 0)),
            Err(e) => return Err(e),
        };
        if file.metadata()?.len() > MAX_BYTES {
            return Err(std::io::Error::other(format!(
                "larger than {} MiB",
                MAX_BYTES >> 20
            )));
        }
        let mut entries: Vec<Entry> = Vec::new();
        let mut skipped = 0;
        for line in std::io::BufReader::new(file).lines() {
            let line = line?;
            if line.trim().is_empty() {
                continue;
            }
            match serde_json::from_str::<Entry>(&line) {
                Ok(entry) => match entries.iter_mut().find(|e| e.key() == entry.key()) {
                    Some(known) => *known = entry,
                    None => entries.push(entry),
                },
                Err(_) => skipped += 1,
            }
        }
        Ok((entries, skipped))
    }
}

/// Whether `file` is empty or ends with a line feed.
fn ends_with_newline(file: &mut std::fs::File) -> std::io::Result<bool> {
    use std::io::{Read, Seek, SeekFrom};
    if file.metadata()?.len() == 0 {
        return Ok(true);
    }
    file.seek(SeekFrom::End(-1))?;
    let mut last = [0u8; 1];
    file.read_exact(&mut last)?;
    Ok(last[0] == b'\n')
}

/// Opens the journal for appending (creating it 0600; readable, to see how
/// it ends) or reading, refusing a symlink and anything but a regular file.
fn open_no_follow(path: &Path, append: bool) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    if append {
        options.create(true).append(true).read(true);
    } else {
        options.read(true);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options
            .mode(0o600)
            .custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32);
    }
    let file = options.open(path).map_err(|e| {
        if path.is_symlink() {
            std::io::Error::other("it is a symbolic link; the journal is never opened through one")
        } else {
            e
        }
    })?;
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(tag: &str, id: Option<u64>) -> Entry {
        Entry {
            create_id: None,
            target: "https://a.example".into(),
            memo: Some("m".into()),
            tag: Some(tag.into()),
            endpoint: "http://127.0.0.1:1".into(),
            profile: "default".into(),
            sent_at: "2026-12-05T01:00:00Z".into(),
            id,
            state: None,
        }
    }

    #[test]
    fn the_latest_line_of_each_create_wins_and_torn_lines_are_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::locate(dir.path().to_str(), None).unwrap();
        journal.append(&entry("[wsc:00000001]", None)).unwrap();
        journal.append(&entry("[wsc:00000002]", None)).unwrap();
        journal.append(&entry("[wsc:00000001]", Some(7))).unwrap();
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(journal.path())
            .unwrap();
        file.write_all(b"{\"target\": \"torn").unwrap();
        let (entries, skipped) = journal.entries().unwrap();
        assert_eq!(
            entries,
            [
                entry("[wsc:00000001]", Some(7)),
                entry("[wsc:00000002]", None)
            ]
        );
        assert_eq!(skipped, 1);
    }

    #[test]
    fn two_untagged_creates_of_one_target_in_one_second_stay_two() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::locate(dir.path().to_str(), None).unwrap();
        let create = |id: Option<u64>, create_id: &str| Entry {
            tag: None,
            create_id: Some(create_id.into()),
            ..entry("", id)
        };
        let (a, b) = ("5eed00015eed0001".to_owned(), "5eed00025eed0002".to_owned());
        journal.append(&create(None, &a)).unwrap();
        journal.append(&create(None, &b)).unwrap();
        // The second is named; the first is still waiting for its job.
        journal.append(&create(Some(9), &b)).unwrap();
        let (entries, _) = journal.entries().unwrap();
        assert_eq!(entries.len(), 2, "{entries:?}");
        assert!(entries[0].pending() && entries[0].create_id.as_deref() == Some(a.as_str()));
        assert_eq!(entries[1].id, Some(9));
    }

    #[test]
    fn a_torn_last_line_costs_only_itself() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::locate(dir.path().to_str(), None).unwrap();
        journal.append(&entry("[wsc:00000001]", None)).unwrap();
        // A power cut mid-append: half a line, no line feed.
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(journal.path())
            .unwrap();
        file.write_all(b"{\"target\": \"https://torn.exa").unwrap();
        drop(file);
        journal.append(&entry("[wsc:00000002]", None)).unwrap();
        let (entries, skipped) = journal.entries().unwrap();
        assert_eq!(
            entries,
            [entry("[wsc:00000001]", None), entry("[wsc:00000002]", None)],
            "the create after the tear is read whole"
        );
        assert_eq!(skipped, 1, "only the torn line is lost");
        let text = std::fs::read_to_string(journal.path()).unwrap();
        assert!(text.ends_with('\n') && text.lines().count() == 3, "{text}");
    }

    #[test]
    fn a_run_journal_records_settles_and_reads_back_the_core_create() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::locate(dir.path().to_str(), None).unwrap();
        let run = RunJournal::new(journal, "http://127.0.0.1:1".into(), "work".into());
        let sent_at = humantime::parse_rfc3339("2026-12-05T01:00:00Z").unwrap();
        let tag = Some(CreateTag::from_bits(0x5eed_0001));
        let create = PendingCreate::new(
            "00000000000000ff",
            "https://a.example",
            Some("m".into()),
            tag,
            sent_at,
        );
        run.record(&create).unwrap();
        let (entries, _) = Journal::locate(dir.path().to_str(), None)
            .unwrap()
            .entries()
            .unwrap();
        assert_eq!(entries.len(), 1);
        assert!(entries[0].pending() && entries[0].profile == "work");
        assert_eq!(
            entries[0].pending_create(),
            Some(create.clone()),
            "a round trip"
        );

        run.settle(&create, Settled::Job(wsc_core::InstanceId::new(9).unwrap()));
        let (entries, _) = Journal::locate(dir.path().to_str(), None)
            .unwrap()
            .entries()
            .unwrap();
        assert_eq!((entries.len(), entries[0].id), (1, Some(9)));
        assert!(run.warnings().is_empty());
    }

    #[test]
    fn an_unreadable_tag_or_time_is_no_pending_create() {
        assert_eq!(entry("[wsc:zz]", None).pending_create(), None);
        let timeless = Entry {
            sent_at: "yesterday".into(),
            ..entry("[wsc:00000001]", None)
        };
        assert_eq!(timeless.pending_create(), None);
        assert!(
            Entry {
                tag: None,
                ..entry("", None)
            }
            .pending_create()
            .is_some()
        );
    }

    #[test]
    fn the_state_directory_follows_xdg_then_home() {
        let xdg = Journal::locate(Some("/state"), Some(Path::new("/home/u"))).unwrap();
        assert_eq!(xdg.path(), Path::new("/state/wsc/creates.jsonl"));
        let home = Journal::locate(Some("relative"), Some(Path::new("/home/u"))).unwrap();
        assert_eq!(
            home.path(),
            Path::new("/home/u/.local/state/wsc/creates.jsonl")
        );
        assert!(Journal::locate(None, None).is_none());
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_journal_is_refused_and_the_file_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::locate(dir.path().to_str(), None).unwrap();
        journal.append(&entry("[wsc:00000001]", None)).unwrap();
        let mode = std::fs::metadata(journal.path())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        let elsewhere = dir.path().join("elsewhere");
        std::fs::write(&elsewhere, "").unwrap();
        std::fs::remove_file(journal.path()).unwrap();
        std::os::unix::fs::symlink(&elsewhere, journal.path()).unwrap();
        let err = journal.append(&entry("[wsc:00000002]", None)).unwrap_err();
        assert!(err.to_string().contains("symbolic link"), "{err}");
        assert_eq!(std::fs::read_to_string(&elsewhere).unwrap(), "");
    }
}
