"""Where a registry comes from: the TOML file, validated and cached; the synced LDAP directory."""
