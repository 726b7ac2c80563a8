// GovWatchReports: the quarterly notice (通报); filled by its issue.
