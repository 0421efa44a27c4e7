// fill: written by its domain (see docs/EXTENSION.md).
