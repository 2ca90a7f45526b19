delete from leaderboard_entries where arena = $arena and snapshot_date = $snapshot_date
