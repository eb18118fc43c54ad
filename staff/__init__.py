"""Staff sign-in security: login throttling (django-axes) and its records in the Wagtail admin."""
