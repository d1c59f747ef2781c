-- Hand-written: the public lookup finds an instrument by the number printed on
-- its label (合格证号, label_no), as it does by certificate number, compared the
-- same way (metrotrace_identifier_key: case, spaces and full-width forms aside).
-- Label numbers are not unique across labs; the lookup says so when several
-- instruments carry one. Only records that name a label are indexed.
CREATE INDEX calibration_records_label_key_idx ON calibration_records (metrotrace_identifier_key(label_no)) WHERE label_no IS NOT NULL;
