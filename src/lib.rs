//! The browser side of pg-preflight (to be built: the Yew page, the JS API, the embed).
