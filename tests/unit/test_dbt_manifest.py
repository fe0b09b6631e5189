"""dbt's manifest is parsed when the definitions load only if the models or the policy changed."""

from orchestration.defs.transformation import project


def test_the_manifest_is_parsed_again_only_when_what_it_was_parsed_from_changed(tmp_path):
    # Its own target folder: other tests' processes parse the shared one under their own environment.
    own_project = project.dbt_project_with_target(tmp_path / "target")
    stamp_file = project.manifest_stamp_file(own_project)

    project.prepare_manifest(own_project)
    assert stamp_file.read_text() == project._manifest_stamp()
    parsed_at = own_project.manifest_path.stat().st_mtime_ns

    project.prepare_manifest(own_project)

    assert own_project.manifest_path.stat().st_mtime_ns == parsed_at

    stamp_file.write_text("parsed from other models")
    project.prepare_manifest(own_project)

    assert own_project.manifest_path.stat().st_mtime_ns > parsed_at
    assert stamp_file.read_text() == project._manifest_stamp()
