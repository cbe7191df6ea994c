"""Settings modules: `base` reads every environment variable; the others only adjust it.

- development: `make run` (DEBUG, SQLite default, emails kept for the developer to read)
- test: the test suite
- production: what runs behind the load balancer (JSON logs, secure cookies, HSTS)
"""
