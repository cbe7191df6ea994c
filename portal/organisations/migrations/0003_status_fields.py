"""Membership, invitation and join-request statuses move to the workflow: guarded status
fields (their status-change rows begin with the next move; earlier moves are in the audit
log)."""

from django.db import migrations

import portal.workflow.fields


class Migration(migrations.Migration):

    dependencies = [
        ('organisations', '0002_invitation_closed_reason'),
    ]

    operations = [
        migrations.AlterField(
            model_name='invitation',
            name='status',
            field=portal.workflow.fields.StatusField(choices=[('pending', 'Pending'), ('accepted', 'Accepted'), ('cancelled', 'Cancelled'), ('expired', 'Expired'), ('declined', 'Not used')], default='pending', max_length=20),
        ),
        migrations.AlterField(
            model_name='joinrequest',
            name='status',
            field=portal.workflow.fields.StatusField(choices=[('pending', 'Waiting for a decision'), ('approved', 'Approved'), ('refused', 'Refused')], default='pending', max_length=20),
        ),
        migrations.AlterField(
            model_name='membership',
            name='status',
            field=portal.workflow.fields.StatusField(choices=[('active', 'Active'), ('suspended', 'Suspended'), ('removed', 'Removed')], default='active', max_length=20),
        ),
    ]
