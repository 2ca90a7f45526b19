insert into snapshots (arena, snapshot_date, file_name, sha256, schema_version, row_count,
                       duplicate_rows, data_hash, same_as_previous)
values ($arena, $snapshot_date, $file_name, $sha256, $schema_version, $row_count,
        $duplicate_rows, $data_hash, null)
