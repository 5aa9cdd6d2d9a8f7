from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_api_token_existing_expire_in_90_days_read_scope")]

    operations = [
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(verbose_name="expires at"),
        ),
    ]
