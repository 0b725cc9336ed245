from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel
from sqlalchemy import select

from netraven_api.auth.security import issue_token, verify_password
from netraven_api.deps import SessionDep, SettingsDep
from netraven_shared.db.models import User
from netraven_shared.errors import NotAuthenticated

router = APIRouter(prefix="/auth", tags=["auth"])


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"


@router.post("/token", summary="Log in with username and password (OAuth2 password form)")
async def login(form: Annotated[OAuth2PasswordRequestForm, Depends()], session: SessionDep, settings: SettingsDep) -> Token:
    user = await session.scalar(select(User).where(User.username == form.username))
    if user is None or not user.is_active or not verify_password(form.password, user.password_hash):
        raise NotAuthenticated("invalid username or password")
    lifetime = timedelta(minutes=settings.token_minutes)
    return Token(access_token=issue_token(user.id, user.role, settings.jwt_secret, lifetime))
