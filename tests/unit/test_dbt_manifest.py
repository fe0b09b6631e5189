"""dbt's manifest is parsed when the definitions load only if the models or the policy changed."""

from dagster_dbt import DbtProject

from orchestration.defs.transformation import project


def test_the_manifest_is_parsed_again_only_when_what_it_was_parsed_from_changed(tmp_path, monkeypatch):
    # Its own target folder: other tests' processes parse the shared one under their own environment.
    own_project = DbtProject(
        project_dir=project.DBT_PROJECT_DIR,
        target_path=tmp_path / "target",
        prepare_project_cli_args=["--quiet", "parse", "--vars", project.policy_vars],
    )
    monkeypatch.setattr(project, "dbt_project", own_project)
    stamp_file = own_project.manifest_path.with_name("ccw_manifest_stamp.json")

    project._prepare_manifest()
    assert stamp_file.read_text() == project._manifest_stamp()
    parsed_at = own_project.manifest_path.stat().st_mtime_ns

    project._prepare_manifest()

    assert own_project.manifest_path.stat().st_mtime_ns == parsed_at

    stamp_file.write_text("parsed from other models")
    project._prepare_manifest()

    assert own_project.manifest_path.stat().st_mtime_ns > parsed_at
    assert stamp_file.read_text() == project._manifest_stamp()
