"""The shared form kernel: vocabulary, engine, drafts and the page flow (see README)."""
