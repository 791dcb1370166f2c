"""Follow-up (opfølgning): action items, conditions and review dates across assessments."""
