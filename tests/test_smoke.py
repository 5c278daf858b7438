def test_programme_home_answers_on_its_host(alpha):
    response = alpha.client().get("/")
    assert response.status_code == 200
    assert "Programme alpha" in response.content.decode()
