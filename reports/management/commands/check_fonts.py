from django.core.management.base import BaseCommand

from reports.fonts import CJK_FONT_HINT, cjk_font_families


class Command(BaseCommand):
    help = "Say whether a CJK font is available for circular PDFs."

    def handle(self, *args, **options):
        families = cjk_font_families()
        if families:
            self.stdout.write(self.style.SUCCESS(f"CJK fonts for PDFs: {', '.join(families[:3])}"))
        else:
            self.stdout.write(self.style.WARNING(CJK_FONT_HINT))
