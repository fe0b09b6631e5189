"""`ccw bench`: the pipeline's speed and memory at a centre's scale, against a plain-SQL baseline."""
