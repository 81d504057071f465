"""factory_boy factories for every model; the worked example and the demo use the services instead."""

import datetime

import factory
from factory.django import DjangoModelFactory

from agencies.choices import AgencyKind, CourtLevel, PositionRole, UserRole
from agencies.models import Agency, Court, Official, Position, User
from cases.choices import PlaintiffKind
from cases.models import Case, Defendant, Dispute, Domain
from hearings.choices import EventKind, HearingStatus
from hearings.models import Appearance, Event, Hearing


class AgencyFactory(DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"机关{n}")
    kind = AgencyKind.DEPARTMENT
    parent = None


class GovernmentFactory(AgencyFactory):
    name = factory.Sequence(lambda n: f"第{n}区人民政府")
    kind = AgencyKind.GOVERNMENT


class OfficialFactory(DjangoModelFactory):
    class Meta:
        model = Official

    name = factory.Sequence(lambda n: f"人员{n}")


class PositionFactory(DjangoModelFactory):
    class Meta:
        model = Position

    official = factory.SubFactory(OfficialFactory)
    agency = factory.SubFactory(AgencyFactory)
    role = PositionRole.DEPUTY
    title = "副局长"
    start_date = datetime.date(2020, 1, 1)
    end_date = None


class CourtFactory(DjangoModelFactory):
    class Meta:
        model = Court

    name = factory.Sequence(lambda n: f"第{n}基层人民法院")
    level = CourtLevel.BASIC
    code = factory.Sequence(lambda n: f"鲁{1500 + n}")


class DomainFactory(DjangoModelFactory):
    class Meta:
        model = Domain
        django_get_or_create = ("name",)

    name = "公安"


class CaseFactory(DjangoModelFactory):
    class Meta:
        model = Case

    court = factory.SubFactory(CourtFactory)
    number = factory.LazyAttributeSequence(lambda o, n: f"（2023）{o.court.code}行初{n + 1}号")
    year = 2023
    court_code = factory.LazyAttribute(lambda o: o.court.code)
    case_type = "行初"
    sequence = factory.Sequence(lambda n: n + 1)
    stage = "first"
    filed_on = datetime.date(2023, 1, 5)
    plaintiff_name = factory.Sequence(lambda n: f"原告{n}")
    plaintiff_kind = PlaintiffKind.PERSON
    cause = "行政处罚"


class DefendantFactory(DjangoModelFactory):
    class Meta:
        model = Defendant

    case = factory.SubFactory(CaseFactory)
    agency = factory.SubFactory(AgencyFactory)


class HearingFactory(DjangoModelFactory):
    class Meta:
        model = Hearing

    case = factory.SubFactory(CaseFactory)
    date = datetime.date(2023, 3, 10)
    status = HearingStatus.HELD


class AppearanceFactory(DjangoModelFactory):
    class Meta:
        model = Appearance

    hearing = factory.SubFactory(HearingFactory)
    agency = factory.SubFactory(AgencyFactory)
    official = None
    person_name = ""
    spoke = False


class EventFactory(DjangoModelFactory):
    class Meta:
        model = Event

    kind = EventKind.TRAINING
    date = datetime.date(2023, 3, 1)
    title = factory.Sequence(lambda n: f"法治培训{n}")


class DisputeFactory(DjangoModelFactory):
    class Meta:
        model = Dispute

    agency = factory.SubFactory(AgencyFactory)
    received_on = datetime.date(2023, 3, 1)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pw-123456")
    role = UserRole.OFFICER
    agency = None

    @factory.post_generation
    def courts(self, create, extracted, **kwargs):
        if create and extracted:
            self.courts.set(extracted)
