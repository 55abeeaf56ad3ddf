//! Why a mock server could not start, in words that say what to do.

/// Errors starting a mock server.
#[derive(Debug)]
#[non_exhaustive]
pub enum StartError {
    /// The configured keys are not valid credentials.
    Credentials(wsc_core::InvalidInput),
    /// The port could not be listened on (in use, or not allowed).
    Bind {
        /// The port asked for (`MockConfig::port`).
        port: u16,
        /// Why.
        source: std::io::Error,
    },
    /// Starting the runtime failed.
    Io(std::io::Error),
    /// The TLS certificate or configuration could not be made.
    Tls(Box<dyn std::error::Error + Send + Sync>),
}

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StartError::Credentials(e) => write!(f, "mock credentials: {e}"),
            StartError::Bind { port, source } if source.kind() == std::io::ErrorKind::AddrInUse => {
                write!(
                    f,
                    "port {port} of 127.0.0.1 is in use: pass another --port, or --port 0 for any free port"
                )
            }
            StartError::Bind { port, source } => write!(
                f,
                "cannot listen on 127.0.0.1:{port}: {source}; pass another --port, or --port 0 for any free port"
            ),
            StartError::Io(e) => write!(f, "could not start the mock server: {e}"),
            StartError::Tls(e) => write!(f, "could not set up the mock's TLS: {e}"),
        }
    }
}

impl std::error::Error for StartError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StartError::Credentials(e) => Some(e),
            StartError::Bind { source, .. } => Some(source),
            StartError::Io(e) => Some(e),
            StartError::Tls(e) => Some(e.as_ref()),
        }
    }
}
