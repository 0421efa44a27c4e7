// observe-orders: written by its domain (see docs/EXTENSION.md).
