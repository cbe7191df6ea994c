"""What bench/staff_queue.py fills its tables with: the types' relative volumes, free text of
realistic length, the marks its answer templates hold where each row differs, and the
INSERT ... SELECT statements that make the notifications and their threads in PostgreSQL."""

# Relative volumes, after the regulator's published counts: deaths, DoLS outcomes, abuse and
# serious injuries are most of the traffic; insolvency and a provider's death are rare.
TYPE_WEIGHTS = {
    "death": 22.0,
    "dols": 19.0,
    "abuse": 15.0,
    "serious-injury": 12.0,
    "police": 5.0,
    "change-contact-details": 4.0,
    "service-disruption": 3.0,
    "unauthorised-absence": 3.0,
    "statement-of-purpose": 3.0,
    "registered-manager-changes": 2.5,
    "absence": 1.5,
    "officers-directors": 1.5,
    "return-from-absence": 1.2,
    "provider-name-address": 0.8,
    "death-detained": 0.6,
    "change-of-name": 0.5,
    "stopping-activities": 0.5,
    "child-in-adult-unit": 0.3,
    "insolvency": 0.1,
    "liquidator": 0.1,
    "death-of-provider": 0.1,
}

# Free text as people write it: a few sentences to a page. Letters, commas and full stops
# only, so it can be spliced into JSON text without escaping.
PROSE = (
    "At about half past two in the afternoon a member of staff found the person on the floor "
    "of their bedroom beside the bed. They were conscious and said they had been trying to "
    "reach the wardrobe without their walking frame. Staff did not move them, called the "
    "nurse in charge, and followed the falls procedure. The person complained of pain in "
    "their left hip, so an ambulance was called and arrived forty minutes later. The "
    "paramedics assessed them and took them to hospital, where an x ray showed a fracture of "
    "the neck of the femur. Their daughter was told by telephone the same afternoon and met "
    "them at the hospital. The falls risk assessment had been reviewed the week before and "
    "the sensor mat was in place but had been unplugged during cleaning that morning. We "
    "have spoken to the housekeeping team, added a check of sensor mats to the room cleaning "
    "list, and the registered manager will audit the mats daily for the next month. The "
    "person's care plan, mobility assessment and falls risk assessment will be reviewed "
    "with them and their family before they return from hospital, and the physiotherapist "
    "has been asked to see them. The local authority safeguarding team has been informed "
    "and has said it does not need to take further action. We will share what we learn at "
    "the next staff meeting and in supervision with the staff on duty. "
)
PROSE = (PROSE * 4)[:4000]
LONG_TEXT_MARK = "@@LONG@@"
DATE_MARK = "@@DATE@@"
PERSON_MARK = "@@PERSON@@"
EMAIL_MARK = "@@EMAIL@@"

# Status by age: most of the last fortnight is new, older ones are mostly decided.
NOTIFICATIONS_SQL = """
WITH draw AS (
    -- Ids rise with submission time, as they would: g counts from two years ago to now.
    SELECT g, random() AS r_type, random() AS r_loc,
           1.0 - (g - random()) / %(count)s AS r_age, random() AS r_status,
           random() AS r_lag, random() AS r_staff, random() AS r_len, random() AS r_decide,
           random() AS r_owed
    FROM generate_series(1, %(count)s) AS g
), shaped AS (
    SELECT d.*, t.*, l.id AS location_id, l.provider_id, l.provider_idx,
           now() - make_interval(secs => 730 * 86400 * d.r_age) AS submitted,
           730 * d.r_age AS age_days,
           CASE WHEN d.r_lag < 0.5 THEN 0 WHEN d.r_lag < 0.8 THEN 1
                WHEN d.r_lag < 0.92 THEN 2 + floor((d.r_lag - 0.8) * 16)
                ELSE 4 + floor((d.r_lag - 0.92) * 330) END::int AS lag_days
    FROM draw d
    JOIN sq_type t ON d.r_type >= t.lo AND d.r_type < t.hi
    JOIN sq_location l ON l.idx = 1 + floor(%(locations)s * power(d.r_loc, 1.6))::int
), deadlines AS (
    -- Where the type has a dated deadline, about one in twelve is sent after it.
    SELECT s.*, s.submitted::date + CASE WHEN s.r_lag < 0.92 THEN floor(s.r_lag * 5)
                                         ELSE -1 - floor((s.r_lag - 0.92) * 100) END::int
                 AS deadline_on
    FROM shaped s
), dated AS (
    SELECT s.*, CASE WHEN s.due_days IS NULL THEN NULL ELSE s.deadline_on END AS due_on,
           CASE WHEN s.due_days IS NULL THEN s.submitted::date - s.lag_days
                ELSE s.deadline_on - s.due_days END AS event_on,
           CASE
             WHEN s.age_days < 14 THEN
               CASE WHEN s.r_status < 0.62 THEN 'submitted'
                    WHEN s.r_status < 0.70 THEN 'information_requested'
                    WHEN s.r_status < 0.85 THEN 'reviewed' ELSE 'closed' END
             WHEN s.age_days < 90 THEN
               CASE WHEN s.r_status < 0.08 THEN 'submitted'
                    WHEN s.r_status < 0.12 THEN 'information_requested'
                    WHEN s.r_status < 0.45 THEN 'reviewed' ELSE 'closed' END
             ELSE
               CASE WHEN s.r_status < 0.01 THEN 'submitted'
                    WHEN s.r_status < 0.015 THEN 'information_requested'
                    WHEN s.r_status < 0.30 THEN 'reviewed' ELSE 'closed' END
           END AS base_status
    FROM deadlines s
), final AS (
    SELECT d.*,
           CASE WHEN d.staff_decision AND d.base_status = 'closed'
                THEN CASE WHEN d.r_decide < 0.85 THEN 'accepted' ELSE 'rejected' END
                ELSE d.base_status END AS status,
           CASE WHEN d.owed_label = '' THEN NULL
                ELSE d.event_on + coalesce(d.owed_days, 21 + floor(d.r_owed * 40)::int)
           END AS owed_on,
           d.submitted + make_interval(
             secs => d.r_decide * least(d.age_days, 20) * 86400) AS decided
    FROM dated d
)
INSERT INTO notifications_notification (
    type_slug, version, provider_id, location_id, answers, status, urgency, draft_id,
    submitted_by_id, submitted_at, due_on, late, next_due_on, next_due_label,
    last_activity_at, decided_by_id, decided_at, decision_reason)
SELECT f.slug, f.version, f.provider_id,
       CASE WHEN f.provider_level THEN NULL ELSE f.location_id END,
       replace(replace(replace(replace(f.answers,
           '@@LONG@@', substr(%(prose)s, 1 + (f.g %% 400), 150 + floor(f.r_len ^ 2 * 2400)::int)),
           '@@DATE@@', f.event_on::text),
           '@@PERSON@@', 'SQ-' || f.provider_idx),
           '@@EMAIL@@', u.email)::jsonb,
       f.status, f.urgency, NULL, u.id, f.submitted, f.due_on,
       coalesce(f.submitted::date > f.due_on, false),
       -- An owed update that has come in is cleared, as add_update does.
       CASE WHEN f.owed_on IS NULL OR (f.owed_on < current_date AND f.r_owed < 0.85)
            THEN NULL ELSE f.owed_on END,
       CASE WHEN f.owed_label = '' OR (f.owed_on < current_date AND f.r_owed < 0.85)
            THEN '' ELSE f.owed_label END,
       CASE WHEN f.status IN ('submitted', 'information_requested') THEN f.submitted
            ELSE f.decided END,
       CASE WHEN f.status IN ('submitted', 'information_requested') THEN NULL ELSE s.id END,
       CASE WHEN f.status IN ('submitted', 'information_requested') THEN NULL ELSE f.decided END,
       CASE f.status WHEN 'closed' THEN 'No further action needed. The provider has taken '
                                        'appropriate steps to keep people safe.'
                     WHEN 'rejected' THEN 'The new email address is shared by several people.'
                     ELSE '' END
FROM final f
JOIN sq_user u ON u.provider_idx = f.provider_idx
JOIN sq_staff s ON s.idx = floor(f.r_staff * %(staff)s)::int
"""

# The thread: one status change for each decision (and a review before 40% of closures),
# an open question for each "information requested", answered questions on about one in ten
# others, owed updates that came in, and an occasional unprompted update.
_INSERT_MESSAGE = """
    INSERT INTO notifications_notificationmessage
        (notification_id, kind, follow_up_key, answers, body, author_id, created_at,
         in_reply_to_id, answered)
"""
MESSAGES_SQL = [
    _INSERT_MESSAGE + select
    for select in (
        """
    SELECT n.id, 'status', '', jsonb_build_object('status', 'reviewed'), '', n.decided_by_id,
           n.submitted_at + (n.decided_at - n.submitted_at) / 2, NULL, false
    FROM notifications_notification n
    WHERE n.provider_id LIKE %(prefix)s AND n.status IN ('closed', 'accepted', 'rejected')
      AND n.id %% 10 < 4
    """,
        """
    SELECT n.id, 'status', '', jsonb_build_object('status', n.status), n.decision_reason,
           n.decided_by_id, n.decided_at, NULL, false
    FROM notifications_notification n
    WHERE n.provider_id LIKE %(prefix)s AND n.decided_at IS NOT NULL
    """,
        """
    SELECT n.id, 'question', '', '{}'::jsonb,
           'Please tell us what the person''s care plan said about falls, and whether the '
           'family has been told.',
           s.id, n.submitted_at + interval '2 hours', NULL,
           n.status <> 'information_requested'
    FROM notifications_notification n
    JOIN sq_staff s ON s.idx = n.id %% %(staff)s
    WHERE n.provider_id LIKE %(prefix)s
      AND (n.status = 'information_requested' OR n.id %% 10 = 7)
    """,
        """
    SELECT q.notification_id, 'answer', '', '{}'::jsonb,
           'The care plan asked for a sensor mat and two hourly checks. Her son was told the '
           'same afternoon and visited the next day.',
           n.submitted_by_id, q.created_at + interval '1 day', q.id, false
    FROM notifications_notificationmessage q
    JOIN notifications_notification n ON n.id = q.notification_id
    WHERE n.provider_id LIKE %(prefix)s AND q.kind = 'question' AND q.answered
    """,
        """
    SELECT n.id, 'update', t.owed_by, '{}'::jsonb,
           'The registered manager returned to work and has resumed their duties.',
           n.submitted_by_id, n.submitted_at + interval '20 days', NULL, false
    FROM notifications_notification n
    JOIN sq_type t ON t.slug = n.type_slug
    WHERE n.provider_id LIKE %(prefix)s AND t.owed_label <> '' AND n.next_due_label = ''
    """,
        """
    SELECT n.id, 'update', '', '{}'::jsonb,
           'An update: the person has come back from hospital and is settling in well.',
           n.submitted_by_id, n.submitted_at + interval '3 days', NULL, false
    FROM notifications_notification n
    WHERE n.provider_id LIKE %(prefix)s AND n.id %% 25 = 3
    """,
    )
]
