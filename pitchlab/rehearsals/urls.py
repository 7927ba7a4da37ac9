"""Pages and API of rehearsing. The API patterns are included under /api/ by pitchlab/urls.py."""

from django.urls import path

from pitchlab.rehearsals import apis, remote_apis, views

urlpatterns = [
    path("pitches/<int:pitch_id>/present/", views.present_view, name="present"),
    path("pitches/<int:pitch_id>/remote/", views.remote_view, name="remote"),
    path("pitches/<int:pitch_id>/rehearsals/", views.rehearsal_list_view, name="rehearsal-list"),
    path("pitches/<int:pitch_id>/rehearsals/<int:rehearsal_id>/", views.rehearsal_report_view, name="rehearsal-report"),
    path("pitches/<int:pitch_id>/drill/", views.drill_view, name="drill"),
]

api_patterns = [
    path("pitches/<int:pitch_id>/rehearsals/", apis.RehearsalListCreateApi.as_view(), name="api-rehearsals"),
    path("pitches/<int:pitch_id>/rehearsals/trend/", apis.RehearsalTrendApi.as_view(), name="api-rehearsal-trend"),
    path("rehearsals/<int:rehearsal_id>/", apis.RehearsalDetailApi.as_view(), name="api-rehearsal"),
    path("rehearsals/<int:rehearsal_id>/report/", apis.RehearsalReportApi.as_view(), name="api-rehearsal-report"),
    path("pitches/<int:pitch_id>/drill/questions/", apis.DrillQuestionsApi.as_view(), name="api-drill-questions"),
    path("pitches/<int:pitch_id>/drill/answers/", apis.DrillAnswerListCreateApi.as_view(), name="api-drill-answers"),
    path("drill-answers/<int:answer_id>/", apis.DrillAnswerDetailApi.as_view(), name="api-drill-answer"),
    path("pitches/<int:pitch_id>/drill/history/", apis.DrillHistoryApi.as_view(), name="api-drill-history"),
    path(
        "pitches/<int:pitch_id>/remote/commands/", remote_apis.RemoteCommandsApi.as_view(), name="api-remote-commands"
    ),
    path("pitches/<int:pitch_id>/remote/state/", remote_apis.RemoteStateApi.as_view(), name="api-remote-state"),
]
