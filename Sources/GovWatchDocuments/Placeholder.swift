// GovWatchDocuments: filled by its issue.
