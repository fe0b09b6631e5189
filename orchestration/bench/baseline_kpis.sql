-- The benchmark's baseline: the core KPIs per agent and month, straight from the landing files,
-- in one DuckDB script with no loader, no dbt and no checks. The pipeline's full build is
-- measured against the time this takes.
--
-- Variables, set before it runs: landing (the landing folder), tz (the centre's time zone),
-- repeat_window_hours and absence_threshold_minutes (from the scoring policy).
-- It leaves the table `baseline_kpis`: agent_id, month, handled_calls, aht_seconds,
-- fcr_resolved_calls, fcr_decidable_calls, fcr_rate, scheduled_days, present_days, leave_days,
-- absent_days, handle_seconds, available_seconds, occupancy_rate.
--
-- Rows breaking the extract contract are dropped as the loader quarantines them: a required value
-- missing, a value that does not parse, an unknown enum value, a duration outside 0-24 h, an end
-- before its start, an id delivered again in a later file. HR's files are read byte for byte
-- (latin-1): their text may be GB18030, and only the booleans' 是/否 are read from it.
-- Columns are read by position, in the order the source systems export them: naming every
-- column as text spares the CSV reader sniffing each of the thousands of files.

-- Timestamps: plain ones are the centre's wall clock; one with an offset is converted to it.
-- The exports' usual shape is tried first: it spares most values the pattern match.
CREATE OR REPLACE MACRO local_timestamp(text) AS
    CASE
        WHEN length(text) = 19 AND substr(text, 11, 1) = ' ' THEN try_strptime(text, '%Y-%m-%d %H:%M:%S')
        WHEN regexp_matches(text, '\d{2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|z|[+-]\d{2}(:?\d{2})?)$')
            THEN timezone(getvariable('tz'), try_cast(text AS TIMESTAMPTZ))
        ELSE try_strptime(text, ['%Y-%m-%d %H:%M:%S', '%Y-%m-%dT%H:%M:%S', '%Y-%m-%d %H:%M:%S.%f',
                                 '%Y-%m-%dT%H:%M:%S.%f', '%Y-%m-%d %H:%M'])
    END;

CREATE OR REPLACE MACRO seconds_count(text) AS
    CASE WHEN regexp_full_match(text, '[+-]?[0-9]+') THEN try_cast(text AS BIGINT) END;

CREATE OR REPLACE MACRO blank(text) AS nullif(trim(text), '');

-- The date in a delivery's name orders deliveries: the first delivery of an id stands.
CREATE OR REPLACE MACRO delivery_order(file_name) AS regexp_extract(file_name, '_(\d{4}-\d{2}(-\d{2})?)\.csv$', 1);

CREATE OR REPLACE TEMP TABLE calls AS
WITH texts AS (
    SELECT
        filename AS file_name,
        blank(call_id) AS call_id,
        blank(parent_call_id) AS parent_call_id,
        lower(blank(direction)) AS direction,
        blank(queue) AS queue,
        regexp_replace(blank(customer_number), '[\s\-().]', '', 'g') AS customer,
        blank(agent_id) AS agent_id,
        blank(enqueued_at) AS enqueued_text,
        blank(answered_at) AS answered_text,
        blank(ended_at) AS ended_text,
        blank(talk_seconds) AS talk_text,
        blank(hold_seconds) AS hold_text,
        blank(wrap_seconds) AS wrap_text,
        lower(blank(outcome)) AS outcome
    FROM read_csv(getvariable('landing') || '/telephony/calls/*.csv', auto_detect = false, header = true, filename = true,
                  columns = {'call_id': 'VARCHAR', 'parent_call_id': 'VARCHAR', 'direction': 'VARCHAR', 'queue': 'VARCHAR', 'customer_number': 'VARCHAR', 'agent_id': 'VARCHAR', 'enqueued_at': 'VARCHAR', 'answered_at': 'VARCHAR', 'ended_at': 'VARCHAR', 'talk_seconds': 'VARCHAR', 'hold_seconds': 'VARCHAR', 'wrap_seconds': 'VARCHAR', 'outcome': 'VARCHAR'})
),
typed AS (
    SELECT
        *,
        local_timestamp(enqueued_text) AS enqueued_at,
        local_timestamp(answered_text) AS answered_at,
        local_timestamp(ended_text) AS ended_at,
        seconds_count(talk_text) AS talk_seconds,
        seconds_count(hold_text) AS hold_seconds,
        seconds_count(wrap_text) AS wrap_seconds
    FROM texts
),
valid AS (
    SELECT * FROM typed
    WHERE call_id IS NOT NULL AND queue IS NOT NULL
        AND direction IN ('inbound', 'outbound')
        AND outcome IN ('resolved', 'transferred', 'callback_required', 'unresolved', 'abandoned', 'no_answer')
        AND enqueued_at IS NOT NULL AND ended_at IS NOT NULL
        AND (answered_text IS NULL OR answered_at IS NOT NULL)
        AND talk_seconds BETWEEN 0 AND 86400 AND hold_seconds BETWEEN 0 AND 86400 AND wrap_seconds BETWEEN 0 AND 86400
        AND ended_at >= enqueued_at
        AND (answered_at IS NULL OR answered_at >= enqueued_at)
)
SELECT
    call_id, parent_call_id, direction, nullif(customer, '') AS customer, agent_id,
    enqueued_at, answered_at, ended_at, outcome,
    talk_seconds + hold_seconds + wrap_seconds AS handle_seconds,
    agent_id IS NOT NULL AND answered_at IS NOT NULL AND (direction = 'inbound' OR talk_seconds > 0) AS is_handled
FROM valid
QUALIFY row_number() OVER (PARTITION BY call_id ORDER BY delivery_order(file_name), file_name) = 1;

-- First-call resolution: a resolved inbound call whose customer neither called in again nor was
-- called back within the window after it ended; undecided while the window reaches past the data.
CREATE OR REPLACE TEMP TABLE call_fcr AS
WITH judged AS (
    SELECT call_id, agent_id, customer, ended_at, outcome,
           ended_at + to_hours(getvariable('repeat_window_hours')) AS window_ends_at
    FROM calls
    WHERE direction = 'inbound' AND is_handled
),
contacts AS (
    SELECT customer, enqueued_at,
           direction = 'inbound' AND parent_call_id IS NULL AS is_new_inbound,
           direction = 'outbound' AS is_outbound
    FROM calls
    WHERE customer IS NOT NULL AND ((direction = 'inbound' AND parent_call_id IS NULL) OR direction = 'outbound')
),
transferred AS (
    SELECT DISTINCT parent_call_id AS call_id FROM calls WHERE parent_call_id IS NOT NULL
),
next_contacts AS (
    SELECT judged.call_id,
           min(contacts.enqueued_at) FILTER (WHERE contacts.is_new_inbound) AS next_inbound_at,
           min(contacts.enqueued_at) FILTER (WHERE contacts.is_outbound) AS next_outbound_at
    FROM judged
    JOIN contacts ON contacts.customer = judged.customer
        AND contacts.enqueued_at > judged.ended_at AND contacts.enqueued_at <= judged.window_ends_at
    GROUP BY judged.call_id
)
SELECT
    judged.call_id,
    CASE
        WHEN judged.customer IS NULL OR judged.window_ends_at > (SELECT max(enqueued_at) FROM calls) THEN 'undecided'
        WHEN judged.outcome = 'transferred' OR transferred.call_id IS NOT NULL THEN 'transferred'
        WHEN judged.outcome != 'resolved' THEN 'not_resolved'
        WHEN next_contacts.next_inbound_at IS NOT NULL THEN 'repeat'
        WHEN next_contacts.next_outbound_at IS NOT NULL THEN 'callback'
        ELSE 'resolved'
    END AS fcr_status
FROM judged
LEFT JOIN transferred ON transferred.call_id = judged.call_id
LEFT JOIN next_contacts ON next_contacts.call_id = judged.call_id;

CREATE OR REPLACE TEMP TABLE calls_monthly AS
SELECT
    calls.agent_id,
    CAST(date_trunc('month', calls.answered_at) AS DATE) AS month,
    count(*) AS handled_calls,
    sum(calls.handle_seconds) * 1.0 / count(*) AS aht_seconds,
    count(*) FILTER (WHERE call_fcr.fcr_status = 'resolved') AS fcr_resolved_calls,
    count(*) FILTER (WHERE call_fcr.fcr_status != 'undecided') AS fcr_decidable_calls
FROM calls
LEFT JOIN call_fcr USING (call_id)
WHERE calls.is_handled
GROUP BY ALL;

CREATE OR REPLACE TEMP TABLE states AS
SELECT agent_id, state, started_at, ended_at
FROM (
    SELECT blank(agent_id) AS agent_id, lower(blank(state)) AS state,
           local_timestamp(blank(started_at)) AS started_at, local_timestamp(blank(ended_at)) AS ended_at
    FROM read_csv(getvariable('landing') || '/telephony/states/*.csv', auto_detect = false, header = true,
                  columns = {'agent_id': 'VARCHAR', 'state': 'VARCHAR', 'reason': 'VARCHAR', 'started_at': 'VARCHAR', 'ended_at': 'VARCHAR'})
)
WHERE agent_id IS NOT NULL AND started_at IS NOT NULL AND ended_at IS NOT NULL AND ended_at >= started_at
    AND state IN ('available', 'on_call', 'wrap', 'busy', 'break', 'meeting', 'training');

-- Occupancy: time on calls and wrap-up over that plus available time, each interval's seconds
-- counted in the month they fell in.
CREATE OR REPLACE TEMP TABLE occupancy_monthly AS
WITH pieces AS (
    SELECT agent_id, state, month,
           epoch(least(ended_at, month + INTERVAL 1 MONTH)) - epoch(greatest(started_at, month)) AS seconds
    FROM states,
         LATERAL (SELECT unnest(generate_series(date_trunc('month', started_at), ended_at, INTERVAL 1 MONTH)) AS month)
    WHERE state IN ('on_call', 'wrap', 'available')
)
SELECT
    agent_id,
    CAST(month AS DATE) AS month,
    sum(seconds) FILTER (WHERE state IN ('on_call', 'wrap')) AS handle_seconds,
    sum(seconds) FILTER (WHERE state = 'available') AS available_seconds,
    sum(seconds) FILTER (WHERE state IN ('on_call', 'wrap')) * 1.0 / nullif(sum(seconds), 0) AS occupancy_rate
FROM pieces
WHERE seconds > 0
GROUP BY ALL;

-- Attendance: every scheduled day up to the last login loaded is on leave (approved leave covers
-- it), absent (no login, or late or early by more than the threshold) or present.
CREATE OR REPLACE TEMP TABLE sessions AS
WITH valid AS (
    SELECT * FROM (
        SELECT filename AS file_name, blank(agent_id) AS agent_id, blank(logout_at) AS logout_text,
               local_timestamp(blank(login_at)) AS login_at, local_timestamp(blank(logout_at)) AS logout_at
        FROM read_csv(getvariable('landing') || '/telephony/sessions/*.csv', auto_detect = false, header = true, filename = true,
                      columns = {'agent_id': 'VARCHAR', 'login_at': 'VARCHAR', 'logout_at': 'VARCHAR'})
    )
    WHERE agent_id IS NOT NULL AND login_at IS NOT NULL
        AND (logout_text IS NULL OR logout_at IS NOT NULL) AND (logout_at IS NULL OR logout_at >= login_at)
),
-- A session delivered open and again closed later is one session: its closed, latest delivery.
distinct_sessions AS (
    SELECT agent_id, login_at, logout_at, lead(login_at) OVER (PARTITION BY agent_id ORDER BY login_at) AS next_login_at
    FROM valid
    QUALIFY row_number() OVER (
        PARTITION BY agent_id, login_at ORDER BY logout_at IS NULL, delivery_order(file_name) DESC, file_name DESC
    ) = 1
),
-- A session still open when exported lasts until its last state (within a day, before the next login).
open_ends AS (
    SELECT s.agent_id, s.login_at, max(states.ended_at) AS last_state_ended_at
    FROM distinct_sessions AS s
    JOIN states ON states.agent_id = s.agent_id AND states.started_at >= s.login_at
        AND states.started_at < s.login_at + INTERVAL 1 DAY
        AND (s.next_login_at IS NULL OR states.started_at < s.next_login_at)
    WHERE s.logout_at IS NULL
    GROUP BY ALL
)
SELECT
    s.agent_id,
    CAST(s.login_at AS DATE) AS login_date,
    s.login_at,
    CASE
        WHEN s.logout_at IS NOT NULL THEN s.logout_at
        WHEN open_ends.last_state_ended_at IS NULL THEN s.login_at
        WHEN s.next_login_at IS NOT NULL AND open_ends.last_state_ended_at > s.next_login_at THEN s.next_login_at
        ELSE open_ends.last_state_ended_at
    END AS logout_at
FROM distinct_sessions AS s
LEFT JOIN open_ends USING (agent_id, login_at);

CREATE OR REPLACE TEMP TABLE attendance_monthly AS
WITH schedules AS (
    SELECT agent_id, shift_date,
           shift_date + shift_start AS shift_start_at,
           shift_date + shift_end + CASE WHEN shift_end < shift_start THEN INTERVAL 1 DAY ELSE INTERVAL 0 DAY END AS shift_end_at
    FROM (
        SELECT filename AS file_name, blank(agent_id) AS agent_id,
               CAST(try_strptime(blank(shift_date), '%Y-%m-%d') AS DATE) AS shift_date,
               CAST(try_strptime(blank(shift_start), ['%H:%M', '%H:%M:%S']) AS TIME) AS shift_start,
               CAST(try_strptime(blank(shift_end), ['%H:%M', '%H:%M:%S']) AS TIME) AS shift_end
        FROM read_csv(getvariable('landing') || '/hr/schedules/*.csv', auto_detect = false, header = true, filename = true,
                      encoding = 'latin-1', columns = {'agent_id': 'VARCHAR', 'shift_date': 'VARCHAR', 'shift_start': 'VARCHAR', 'shift_end': 'VARCHAR'})
    )
    WHERE agent_id IS NOT NULL AND shift_date IS NOT NULL AND shift_start IS NOT NULL AND shift_end IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY agent_id, shift_date ORDER BY delivery_order(file_name), file_name) = 1
),
approved_leave AS (
    SELECT agent_id, start_date, end_date
    FROM (
        SELECT filename AS file_name, blank(leave_id) AS leave_id, blank(agent_id) AS agent_id,
               lower(blank(leave_type)) AS leave_type,
               CAST(try_strptime(blank(start_date), '%Y-%m-%d') AS DATE) AS start_date,
               CAST(try_strptime(blank(end_date), '%Y-%m-%d') AS DATE) AS end_date,
               -- 是 and 否 as GB18030 or UTF-8 bytes, read as latin-1.
               CASE
                   WHEN lower(blank(approved)) IN ('true', '1', 'y', 'yes', lower('ÊÇ'), 'æ' || chr(152) || '¯') THEN true
                   WHEN lower(blank(approved)) IN ('false', '0', 'n', 'no', lower('·ñ'), 'å' || chr(144) || '¦') THEN false
               END AS approved
        FROM read_csv(getvariable('landing') || '/hr/leave/*.csv', auto_detect = false, header = true, filename = true,
                      encoding = 'latin-1', columns = {'leave_id': 'VARCHAR', 'agent_id': 'VARCHAR', 'leave_type': 'VARCHAR', 'start_date': 'VARCHAR', 'end_date': 'VARCHAR', 'approved': 'VARCHAR'})
    )
    WHERE leave_id IS NOT NULL AND agent_id IS NOT NULL AND start_date IS NOT NULL AND end_date IS NOT NULL
        AND approved IS NOT NULL AND end_date >= start_date
        AND leave_type IN ('personal', 'sick', 'annual', 'bereavement', 'other')
    QUALIFY row_number() OVER (PARTITION BY leave_id ORDER BY delivery_order(file_name), file_name) = 1
        AND approved
),
logins AS (
    SELECT agent_id, login_date, min(login_at) AS first_login, max(logout_at) AS last_logout
    FROM sessions
    GROUP BY ALL
),
days AS (
    SELECT
        schedules.agent_id,
        schedules.shift_date,
        EXISTS (
            SELECT 1 FROM approved_leave AS l
            WHERE l.agent_id = schedules.agent_id AND schedules.shift_date BETWEEN l.start_date AND l.end_date
        ) AS on_leave,
        logins.first_login,
        floor(date_diff('second', schedules.shift_start_at, logins.first_login) / 60.0) AS late_minutes,
        floor(date_diff('second', logins.last_logout, schedules.shift_end_at) / 60.0) AS early_minutes
    FROM schedules
    LEFT JOIN logins ON logins.agent_id = schedules.agent_id AND logins.login_date = schedules.shift_date
    WHERE schedules.shift_date <= (SELECT max(login_date) FROM sessions)
),
classified AS (
    SELECT agent_id, CAST(date_trunc('month', shift_date) AS DATE) AS month,
        CASE
            WHEN on_leave THEN 'on_leave'
            WHEN first_login IS NULL THEN 'absent'
            WHEN late_minutes > getvariable('absence_threshold_minutes') THEN 'absent'
            WHEN early_minutes > getvariable('absence_threshold_minutes') THEN 'absent'
            ELSE 'present'
        END AS day_status
    FROM days
)
SELECT
    agent_id,
    month,
    count(*) AS scheduled_days,
    count(*) FILTER (WHERE day_status = 'present') AS present_days,
    count(*) FILTER (WHERE day_status = 'on_leave') AS leave_days,
    count(*) FILTER (WHERE day_status = 'absent') AS absent_days
FROM classified
GROUP BY ALL;

-- The marts keep only agents on the roster.
CREATE OR REPLACE TEMP TABLE rostered AS
SELECT DISTINCT blank(agent_id) AS agent_id
FROM read_csv(getvariable('landing') || '/hr/agents/*.csv', auto_detect = false, header = true, encoding = 'latin-1',
              columns = {'agent_id': 'VARCHAR', 'name': 'VARCHAR', 'id_card_number': 'VARCHAR', 'team': 'VARCHAR', 'tier': 'VARCHAR', 'role': 'VARCHAR', 'supervisor_id': 'VARCHAR', 'hire_date': 'VARCHAR', 'probation_end_date': 'VARCHAR', 'termination_date': 'VARCHAR', 'email': 'VARCHAR'})
WHERE blank(agent_id) IS NOT NULL;

CREATE OR REPLACE TABLE baseline_kpis AS
WITH agent_months AS (
    SELECT agent_id, month FROM calls_monthly
    UNION SELECT agent_id, month FROM occupancy_monthly
    UNION SELECT agent_id, month FROM attendance_monthly
)
SELECT
    agent_months.agent_id,
    agent_months.month,
    coalesce(calls_monthly.handled_calls, 0) AS handled_calls,
    calls_monthly.aht_seconds,
    coalesce(calls_monthly.fcr_resolved_calls, 0) AS fcr_resolved_calls,
    coalesce(calls_monthly.fcr_decidable_calls, 0) AS fcr_decidable_calls,
    calls_monthly.fcr_resolved_calls * 1.0 / nullif(calls_monthly.fcr_decidable_calls, 0) AS fcr_rate,
    coalesce(attendance_monthly.scheduled_days, 0) AS scheduled_days,
    coalesce(attendance_monthly.present_days, 0) AS present_days,
    coalesce(attendance_monthly.leave_days, 0) AS leave_days,
    coalesce(attendance_monthly.absent_days, 0) AS absent_days,
    occupancy_monthly.handle_seconds,
    occupancy_monthly.available_seconds,
    occupancy_monthly.occupancy_rate
FROM agent_months
SEMI JOIN rostered USING (agent_id)
LEFT JOIN calls_monthly USING (agent_id, month)
LEFT JOIN occupancy_monthly USING (agent_id, month)
LEFT JOIN attendance_monthly USING (agent_id, month);
