"""综治中心: the hub: one-window intake, assessment, dispatch, supervision, closure, follow-up."""
