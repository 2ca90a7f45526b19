delete from snapshots where arena = $arena and snapshot_date = $snapshot_date
