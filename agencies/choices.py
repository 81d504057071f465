from django.db import models
from django.utils.translation import gettext_lazy as _


class AgencyKind(models.TextChoices):
    GOVERNMENT = "government", _("人民政府")
    DEPARTMENT = "department", _("政府部门")
    TOWNSHIP = "township", _("乡镇街道")
    OTHER = "other", _("其他")


class PositionRole(models.TextChoices):
    PRINCIPAL = "principal", _("主要负责人（正职）")
    DEPUTY = "deputy", _("副职负责人")
    OTHER_HEAD = "other_head", _("其他参与分管的负责人")
    STAFF = "staff", _("工作人员")


HEAD_ROLES = (PositionRole.PRINCIPAL, PositionRole.DEPUTY, PositionRole.OTHER_HEAD)
# When an official holds two posts in one agency on one day, the higher one counts.
ROLE_PRECEDENCE = {
    PositionRole.PRINCIPAL: 1,
    PositionRole.DEPUTY: 2,
    PositionRole.OTHER_HEAD: 3,
    PositionRole.STAFF: 4,
}


class CourtLevel(models.TextChoices):
    BASIC = "basic", _("基层人民法院")
    INTERMEDIATE = "intermediate", _("中级人民法院")
    HIGH = "high", _("高级人民法院")


class UserRole(models.TextChoices):
    OFFICER = "officer", _("司法局工作人员")
    LIAISON = "liaison", _("法院联络员")
    AGENCY = "agency", _("行政机关应诉联络员")
    API_CLIENT = "api_client", _("接口客户端")
