//! `ncloud_wsc._native`: wsc-core's blocking client (over wsc-ureq) for
//! Python. Only conversions live here: arguments into the core's inputs,
//! results into Python values, errors into one exception the Python layer
//! (`python/ncloud_wsc/`) turns into its typed tree. Every call releases
//! the GIL; pauses are slept in short slices that check for signals, so a
//! Ctrl-C during `wait` or a retry's backoff reaches Python at once.

use pyo3::prelude::*;

mod args;
mod client;
mod convert;
mod errors;
mod interrupt;

pyo3::create_exception!(
    _native,
    NativeError,
    pyo3::exceptions::PyException,
    "A failure of the core: args are (kind, message, details)."
);

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<client::Client>()?;
    m.add("NativeError", m.py().get_type::<NativeError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
