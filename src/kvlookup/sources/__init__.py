"""Sources beyond the TOML registry: the organisation's LDAP directory, synced for offline use.

Nothing here is imported unless a config file exists (tests/test_startup.py checks this):
a lookup without one starts as fast as before.
"""
