// observe-quota: written by its domain (see docs/EXTENSION.md).
