"""A sample call centre: realistic, deterministic landing files for every extract of the contract.

`generate_centre` writes months of telephony, HR and QA extracts for a centre of any size, day by
day in bounded memory, so the whole pipeline can be run and demonstrated without real data.
"""

from ingestion.sample.centre import generate_centre

__all__ = ["generate_centre"]
