DROP TABLE presence;
DROP TABLE realtime_instances;
