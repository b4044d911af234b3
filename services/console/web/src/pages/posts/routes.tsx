/** The posts pages' own routes, under /posts/*: add pages here (each lazily loaded if large). */
import { Route, Routes } from 'react-router'
import { useTranslation } from 'react-i18next'
import { Placeholder } from '../../components/Placeholder'

function PostsIndex() {
  const { t } = useTranslation()
  return <Placeholder title={t('nav.posts')} />
}

export default function PostsRoutes() {
  return (
    <Routes>
      <Route index element={<PostsIndex />} />
    </Routes>
  )
}
