"""Amazon Connect exports as the telephony extracts of the contract.

Contact trace records become `telephony/calls`; the agent event stream becomes `telephony/sessions`
and `telephony/states`, exactly as an ACD export would deliver them, so that loading and everything
after it is unchanged. `README.md` in this folder sets out the mapping; `mapping.yml` is the
centre's configuration of it.
"""

from ingestion.connect.errors import ConnectImportError
from ingestion.connect.importer import import_exports
from ingestion.connect.mapping import ConnectMapping, load_mapping
from ingestion.connect.summary import ImportSummary

__all__ = ["ConnectImportError", "ConnectMapping", "ImportSummary", "import_exports", "load_mapping"]
