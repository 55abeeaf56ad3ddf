//! ureq under the conformance suite every stack passes (see
//! `wsc_mock::conformance`): its own errors in the core's terms.

use wsc_mock::conformance::Setup;

wsc_mock::blocking_conformance_tests!(|setup: &Setup| {
    setup
        .configure(wsc_ureq::Client::builder(
            setup.credentials(),
            setup.endpoint(),
        ))
        .build()
        .expect("a ureq client")
});
