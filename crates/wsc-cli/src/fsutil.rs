//! Files: atomic writes (temp file in the same directory + rename), bounded
//! reads, the configure file's lock and directory, and its permission check.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Where a write to `path` must land: `path` itself, or the file a symlink
/// points to (so the link survives). Fifos, devices, directories and links
/// to them (or to nothing) are refused rather than replaced.
pub fn write_target(path: &Path) -> std::io::Result<PathBuf> {
    let refuse = |what: &str| {
        std::io::Error::other(format!(
            "{} {what}; refusing to replace it (give a regular file)",
            path.display()
        ))
    };
    let link = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(path.to_path_buf()),
        Err(e) => return Err(e),
    };
    if link.file_type().is_symlink() {
        let target = std::fs::canonicalize(path)
            .map_err(|_| refuse("is a symbolic link that leads to no regular file"))?;
        let meta = std::fs::metadata(&target)?;
        if !meta.is_file() {
            return Err(refuse(
                "is a symbolic link to something other than a regular file",
            ));
        }
        return Ok(target);
    }
    if !link.is_file() {
        return Err(refuse(
            "is not a regular file (a fifo, device or directory)",
        ));
    }
    Ok(path.to_path_buf())
}

/// The most `create --from-file` reads (1 MiB).
pub const JOB_FILE_LIMIT: u64 = 1 << 20;

/// Reads at most `limit` bytes of the regular file `path`. A longer file is
/// an error, not a memory hog; a fifo, a device or a directory is refused at
/// once, never waited on (it is opened without blocking, then checked).
pub fn read_limited(path: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32);
    }
    let file = options.open(path)?;
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::other(
            "is not a regular file (a fifo, device or directory)",
        ));
    }
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(std::io::Error::other(format!(
            "is larger than {} KiB",
            limit / 1024
        )));
    }
    Ok(bytes)
}

/// Creates `dir` (and parents) if missing; a directory created here gets mode
/// 0700 whatever the umask (on Unix).
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    std::fs::create_dir_all(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

/// An exclusive advisory lock on `<file>.lock`, held until dropped. Every
/// `wsc configure` takes it around its read-modify-rename, so parallel runs
/// each keep their own profile.
pub struct FileLock {
    file: std::fs::File,
}

impl FileLock {
    /// Waits (at most about 30 s) for the lock beside `file`.
    pub fn acquire(file: &Path) -> std::io::Result<Self> {
        use fs4::fs_std::FileExt;
        let mut name = file.as_os_str().to_owned();
        name.push(".lock");
        let mut options = std::fs::OpenOptions::new();
        options.create(true).truncate(false).write(true);
        // Never through a symlink: the lock's mode is set below.
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32);
        }
        let lock = options.open(PathBuf::from(name))?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = lock.set_permissions(std::fs::Permissions::from_mode(0o600));
        }
        for _ in 0..300 {
            if FileExt::try_lock_exclusive(&lock)? {
                return Ok(Self { file: lock });
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        Err(std::io::Error::other(
            "another `wsc` run holds the lock for 30 s; try again",
        ))
    }
}

impl Drop for FileLock {
    fn drop(&mut self) {
        let _ = fs4::fs_std::FileExt::unlock(&self.file);
    }
}

/// Writes `bytes` to `path` atomically: an interrupted write leaves any old
/// file intact. `private` makes the file mode 0600 (on Unix). A symlink is
/// written through to its target; special files are refused (see
/// [`write_target`]).
pub fn write_atomic(path: &Path, bytes: &[u8], private: bool) -> std::io::Result<()> {
    let target = write_target(path)?;
    let path = target.as_path();
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".wsc-")
        .suffix(".tmp")
        .tempfile_in(&dir)?;
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    #[cfg(not(unix))]
    let _ = private;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// True when the file is readable by group or others (Unix only).
pub fn too_open(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path)
            .map(|m| m.permissions().mode() & 0o077 != 0)
            .unwrap_or(false)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_and_sets_private_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/file");
        write_atomic(&path, b"one", true).unwrap();
        write_atomic(&path, b"two", true).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        assert!(!too_open(&path));
        let leftovers: Vec<_> = std::fs::read_dir(path.parent().unwrap()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temp file left behind");
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_are_written_through_and_special_files_refused() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real");
        std::fs::write(&real, "old").unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write_atomic(&link, b"new", true).unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read(&real).unwrap(), b"new");

        let to_null = dir.path().join("null");
        std::os::unix::fs::symlink("/dev/null", &to_null).unwrap();
        assert!(write_atomic(&to_null, b"x", false).is_err());
        assert!(
            std::fs::symlink_metadata(&to_null)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert!(write_atomic(Path::new("/dev/null"), b"x", false).is_err());
        let dangling = dir.path().join("dangling");
        std::os::unix::fs::symlink(dir.path().join("nowhere"), &dangling).unwrap();
        assert!(write_atomic(&dangling, b"x", false).is_err());
    }

    #[test]
    fn reads_are_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, vec![b'a'; 2048]).unwrap();
        assert_eq!(read_limited(&path, 2048).unwrap().len(), 2048);
        assert!(read_limited(&path, 2047).is_err());
        #[cfg(unix)]
        assert!(read_limited(Path::new("/dev/zero"), 1 << 20).is_err());
    }
}
