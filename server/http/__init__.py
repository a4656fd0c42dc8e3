"""HTTP: auth, public API, ops endpoints, the web apps, and the middleware around them."""
