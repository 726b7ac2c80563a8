// GovWatchInspection: filled by its issue.
