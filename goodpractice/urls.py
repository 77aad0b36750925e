app_name = "goodpractice"
urlpatterns = []
