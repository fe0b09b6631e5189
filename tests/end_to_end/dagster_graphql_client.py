"""A few calls of the GraphQL API that Dagster's UI itself uses, against a running `ccw ui`."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request

LAUNCH_BACKFILL = """
mutation($params: LaunchBackfillParams!) {
  launchPartitionBackfill(backfillParams: $params) {
    __typename
    ... on LaunchBackfillSuccess { backfillId }
    ... on PythonError { message }
  }
}"""

BACKFILL = """
query($id: String!) {
  partitionBackfillOrError(backfillId: $id) {
    __typename
    ... on PartitionBackfill { status runs(limit: 20) { id status tags { key value } } }
    ... on PythonError { message }
  }
}"""

ASSET_KEYS = """
query { assetNodes { assetKey { path } } }
"""


class DagsterUi:
    def __init__(self, port: int):
        self.url = f"http://127.0.0.1:{port}/graphql"

    def query(self, text: str, **variables) -> dict:
        body = json.dumps({"query": text, "variables": variables}).encode()
        request = urllib.request.Request(self.url, body, {"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            answer = json.load(response)
        assert "errors" not in answer, answer["errors"]
        return answer["data"]

    def wait_until_up(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.query(ASSET_KEYS)
                return
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(2)

    def launch_job_backfill(self, job: str, partitions: list[str]) -> str:
        """What *Materialize* on a range of a partitioned job's months launches."""
        selector = {"partitionSetName": f"{job}_partition_set",
                    "repositorySelector": {"repositoryName": "__repository__", "repositoryLocationName": "orchestration.definitions"}}
        result = self.query(LAUNCH_BACKFILL, params={"selector": selector, "partitionNames": partitions})["launchPartitionBackfill"]
        assert result["__typename"] == "LaunchBackfillSuccess", result
        return result["backfillId"]

    def wait_for_backfill(self, backfill_id: str, timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            backfill = self.query(BACKFILL, id=backfill_id)["partitionBackfillOrError"]
            if backfill["status"] not in ("REQUESTED", "CANCELING", "FAILING"):
                return backfill
            assert time.monotonic() < deadline, f"backfill still {backfill['status']} after {timeout} s: {backfill}"
            time.sleep(3)
