DROP TABLE released_handles;
