from django.urls import path

from .views import employers, profiles, signup

app_name = "candidates"
urlpatterns = [
    path("signup/", signup.signup_start, name="signup"),
    path("signup/id/check/", signup.handle_check, name="handle_check"),
    path("signup/sent/", signup.signup_sent, name="signup_sent"),
    path("signup/<slug:step>/", signup.signup_step, name="signup_step"),
    path("u/<str:handle>/", profiles.profile, name="profile"),
    path("profile/", profiles.profile_edit, name="profile_edit"),
    path("profile/resume.json", profiles.resume_json, name="resume_json"),
    path("profile/resume/delete/", profiles.resume_delete, name="resume_delete"),
    path("resumes/<uuid:resume_id>/", profiles.resume_download, name="resume_download"),
    path("candidates/", employers.candidate_list, name="list"),
    path("candidates/map/", employers.candidate_map, name="map"),
]
