// sw/orders.js: written by its domain (see docs/EXTENSION.md).
