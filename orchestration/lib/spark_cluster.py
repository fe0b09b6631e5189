"""A local Apache Spark cluster from the pyspark distribution: a standalone master, one worker and
a Thrift (HiveServer2) server, the same pieces a real cluster runs, all on 127.0.0.1.

    with local_spark_cluster(Path("/tmp/spark")) as endpoint:
        ...  # dbt with target `spark`: CCW_SPARK_HOST=endpoint.host, CCW_SPARK_PORT=endpoint.port

The warehouse (parquet files) and the metastore (embedded Derby) live in the folder given; every
process is stopped when the block ends. `python -m orchestration.lib.spark_cluster DIR` starts one
and keeps it up until Ctrl-C. Needs Java 17 and the `spark` dependency group (`uv sync --group spark`).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from orchestration.lib.ports import LOOPBACK as HOST
from orchestration.lib.ports import free_port

THRIFT_SERVER_CLASS = "org.apache.spark.sql.hive.thriftserver.HiveThriftServer2"
STARTUP_TIMEOUT_SECONDS = 240
WORKER_CORES = 2
WORKER_MEMORY = "3g"


@dataclass(frozen=True)
class SparkEndpoint:
    host: str
    port: int
    master_url: str


def spark_home() -> Path:
    """Spark as shipped inside the pyspark wheel (bin/spark-class, bin/spark-submit, jars/)."""
    import pyspark

    return Path(pyspark.__file__).parent


def _answers(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex((HOST, port)) == 0


def _environment(workdir: Path) -> dict[str, str]:
    home = spark_home()
    return {
        **os.environ,
        "SPARK_HOME": str(home),
        "SPARK_LOCAL_IP": HOST,
        "SPARK_LOG_DIR": str(workdir / "logs"),
        "SPARK_WORKER_DIR": str(workdir / "work"),
        # Both sides of every comparison read wall-clock timestamps: no zone shifts anywhere.
        "TZ": "UTC",
        "SPARK_DAEMON_JAVA_OPTS": "-Duser.timezone=UTC",
        # The master's REST submission port is fixed (6066): two local clusters would collide.
        "SPARK_MASTER_OPTS": "-Dspark.master.rest.enabled=false",
        "PYSPARK_PYTHON": sys.executable,
    }


class _Process:
    """A Spark daemon in the foreground of its own process group, its output in a log file."""

    def __init__(self, name: str, command: list[str], workdir: Path, environment: dict[str, str]):
        self.name = name
        self.log_path = workdir / "logs" / f"{name}.log"
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            command,
            cwd=workdir,
            env=environment,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def wait_for_port(self, port: int, timeout: float = STARTUP_TIMEOUT_SECONDS) -> None:
        deadline = time.monotonic() + timeout
        while not _answers(port):
            if self.process.poll() is not None:
                raise RuntimeError(f"Spark {self.name} exited with {self.process.returncode}:\n{self.log_tail()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Spark {self.name} did not open port {port} in {timeout:.0f} s:\n{self.log_tail()}")
            time.sleep(1)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self._log.close()


def _thrift_server_conf(workdir: Path, master_url: str, port: int) -> list[str]:
    settings = {
        "spark.master": master_url,
        "spark.app.name": "ccw-thrift-server",
        "spark.sql.warehouse.dir": str(workdir / "warehouse"),
        "spark.sql.session.timeZone": "UTC",
        "spark.driver.extraJavaOptions": "-Duser.timezone=UTC",
        "spark.executor.extraJavaOptions": "-Duser.timezone=UTC",
        "spark.driver.memory": "2g",
        "spark.executor.memory": "2g",
        "spark.cores.max": str(WORKER_CORES),
        # A small centre's tables: the default 200 shuffle partitions would only add tasks.
        "spark.sql.shuffle.partitions": "4",
        "spark.ui.enabled": "false",
        # Shift times are TIME columns (Spark 4.1+); the dbt profile asks for it per session too.
        "spark.sql.timeType.enabled": "true",
        "spark.hadoop.javax.jdo.option.ConnectionURL": f"jdbc:derby:;databaseName={workdir / 'metastore_db'};create=true",
        "spark.hadoop.hive.metastore.warehouse.dir": str(workdir / "warehouse"),
        "spark.driver.host": HOST,
        "spark.driver.bindAddress": HOST,
    }
    arguments = [argument for key, value in settings.items() for argument in ("--conf", f"{key}={value}")]
    hive = {
        "hive.server2.thrift.port": str(port),
        "hive.server2.thrift.bind.host": HOST,
    }
    return arguments + ["spark-internal"] + [a for key, value in hive.items() for a in ("--hiveconf", f"{key}={value}")]


@contextmanager
def local_spark_cluster(workdir: Path) -> Iterator[SparkEndpoint]:
    """Start master, worker and Thrift server; yield where the Thrift server answers; stop them all."""
    workdir = workdir.resolve()
    for folder in ("logs", "work", "warehouse"):
        (workdir / folder).mkdir(parents=True, exist_ok=True)
    environment = _environment(workdir)
    bin_dir = spark_home() / "bin"
    master_port, thrift_port = free_port(), free_port()
    master_url = f"spark://{HOST}:{master_port}"

    with ExitStack() as running:
        master = _Process(
            "master",
            [
                str(bin_dir / "spark-class"),
                "org.apache.spark.deploy.master.Master",
                "--host",
                HOST,
                "--port",
                str(master_port),
                "--webui-port",
                str(free_port()),
            ],
            workdir,
            environment,
        )
        running.callback(master.stop)
        master.wait_for_port(master_port)

        worker = _Process(
            "worker",
            [
                str(bin_dir / "spark-class"),
                "org.apache.spark.deploy.worker.Worker",
                master_url,
                "--host",
                HOST,
                "--cores",
                str(WORKER_CORES),
                "--memory",
                WORKER_MEMORY,
                "--webui-port",
                str(free_port()),
                "--work-dir",
                str(workdir / "work"),
            ],
            workdir,
            environment,
        )
        running.callback(worker.stop)

        thrift_server = _Process(
            "thrift-server",
            [
                str(bin_dir / "spark-submit"),
                "--class",
                THRIFT_SERVER_CLASS,
                *_thrift_server_conf(workdir, master_url, thrift_port),
            ],
            workdir,
            environment,
        )
        running.callback(thrift_server.stop)
        thrift_server.wait_for_port(thrift_port)
        yield SparkEndpoint(HOST, thrift_port, master_url)


def _stop_on_terminate(signum, frame) -> None:
    raise KeyboardInterrupt


def main() -> None:
    # A background job ignores Ctrl-C's signal: `kill PID` (TERM) stops the cluster cleanly too.
    signal.signal(signal.SIGTERM, _stop_on_terminate)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    workdir = Path(sys.argv[1] if len(sys.argv) > 1 else "data/spark")
    with local_spark_cluster(workdir) as endpoint:
        print(f"Spark Thrift server on {endpoint.host}:{endpoint.port} (master {endpoint.master_url}); Ctrl-C stops it.")
        print(f"export CCW_DBT_TARGET=spark CCW_SPARK_HOST={endpoint.host} CCW_SPARK_PORT={endpoint.port}")
        try:
            signal.pause()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
