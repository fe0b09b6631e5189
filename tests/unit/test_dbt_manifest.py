"""dbt's manifest is parsed when the definitions load only if the models or the policy changed."""

from orchestration.defs.transformation import project


def test_the_manifest_is_parsed_again_only_when_what_it_was_parsed_from_changed():
    stamp_file = project.dbt_project.manifest_path.with_name("ccw_manifest_stamp.json")
    assert stamp_file.read_text() == project._manifest_stamp()
    parsed_at = project.dbt_project.manifest_path.stat().st_mtime_ns

    project._prepare_manifest()

    assert project.dbt_project.manifest_path.stat().st_mtime_ns == parsed_at

    stamp_file.write_text("parsed from other models")
    project._prepare_manifest()

    assert project.dbt_project.manifest_path.stat().st_mtime_ns > parsed_at
    assert stamp_file.read_text() == project._manifest_stamp()
