"""Pure per-field checks: text in, (info, findings) out. No prose, no I/O."""
