// sw/vault.js: written by its domain (see docs/EXTENSION.md).
