"""The career ladder kept as code: model, loading with line-numbered checks, diff."""
