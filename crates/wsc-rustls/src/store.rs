//! Where the operating system keeps its trust store, as one source.

use std::path::{Path, PathBuf};

/// Where the operating system's trust store is read from: one source, so
/// that a system with both a bundle file and a hashed directory of the same
/// certificates is read once, not twice.
///
/// ```
/// use std::path::{Path, PathBuf};
/// use wsc_rustls::OsTrustStore;
///
/// let bundle = PathBuf::from("/etc/ssl/certs/ca-certificates.crt");
/// let dir = PathBuf::from("/etc/ssl/certs");
/// // The bundle wins over the directory...
/// assert_eq!(
///     OsTrustStore::locate(Some(bundle.clone()), vec![dir.clone()], |_: &Path| true),
///     OsTrustStore::File(bundle)
/// );
/// // ...which is read only when there is no bundle.
/// assert_eq!(
///     OsTrustStore::locate(None, vec![dir.clone()], |_: &Path| true),
///     OsTrustStore::Dirs(vec![dir])
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum OsTrustStore {
    /// One PEM bundle file.
    File(PathBuf),
    /// Directories of PEM files, in order.
    Dirs(Vec<PathBuf>),
    /// No file or directory is known: ask the platform (the macOS keychain,
    /// the Windows certificate store).
    Platform,
}

impl OsTrustStore {
    /// Chooses the source from a probe of the system, as OpenSSL finds it
    /// (`openssl-probe`: `SSL_CERT_FILE` and `SSL_CERT_DIR` first, then the
    /// platform's usual bundle names and directories):
    ///
    /// 1. the bundle file, when it is a file;
    /// 2. otherwise the directories;
    /// 3. otherwise the platform's own store.
    ///
    /// `is_file` is the caller's file test, so that this stays free of I/O.
    pub fn locate(
        bundle: Option<PathBuf>,
        dirs: Vec<PathBuf>,
        is_file: impl Fn(&Path) -> bool,
    ) -> Self {
        match bundle {
            Some(file) if is_file(&file) => OsTrustStore::File(file),
            _ if !dirs.is_empty() => OsTrustStore::Dirs(dirs),
            _ => OsTrustStore::Platform,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> PathBuf {
        PathBuf::from(s)
    }

    #[test]
    fn one_source_is_chosen_in_the_documented_order() {
        let exists = |q: &Path| q == Path::new("/sys.pem");
        // The bundle, not the directory as well.
        assert_eq!(
            OsTrustStore::locate(Some(p("/sys.pem")), vec![p("/sys.d")], exists),
            OsTrustStore::File(p("/sys.pem"))
        );
        // A bundle path that is not a file: the directories.
        assert_eq!(
            OsTrustStore::locate(Some(p("/gone.pem")), vec![p("/a"), p("/b")], exists),
            OsTrustStore::Dirs(vec![p("/a"), p("/b")])
        );
        // Nothing known: the platform's store.
        assert_eq!(
            OsTrustStore::locate(Some(p("/gone.pem")), vec![], exists),
            OsTrustStore::Platform
        );
        assert_eq!(
            OsTrustStore::locate(None, vec![], exists),
            OsTrustStore::Platform
        );
    }
}
